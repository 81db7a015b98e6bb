import { createDeserializer, createSerializer } from "@stubwright/runtime";
import { createRawStack } from "./grpc-js-raw.js";

/**
 * Raw grpc-js with Stubwright's compiled codec as serializers: against the
 * Stubwright column it isolates the runtime's own overhead.
 */
export const grpcJsCompiled = createRawStack("grpc-js + compiled codec", {
  serialize: (schema) => createSerializer(schema),
  deserialize: (schema) => createDeserializer(schema),
});
