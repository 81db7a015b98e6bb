import { createDeserializer, createSerializer } from "@stubwright/runtime/codec";
import { createRawStack, type RawCodec } from "./grpc-js-raw.js";

/** Stubwright's compiled codec, as a raw grpc-js stack's serializers. */
export const compiledCodec: RawCodec = {
  serialize: (schema) => createSerializer(schema),
  deserialize: (schema) => createDeserializer(schema),
};

/**
 * Raw grpc-js with Stubwright's compiled codec as serializers: against the
 * Stubwright column it isolates the runtime's own overhead.
 */
export const grpcJsCompiled = createRawStack("grpc-js + compiled codec", compiledCodec);
