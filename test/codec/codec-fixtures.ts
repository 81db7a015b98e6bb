import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { createFileRegistry, fromBinary, type DescExtension, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { compileCodec, type CompiledCodec } from "../../packages/runtime/src/codec/compile-codec.js";
import { TestAllTypesProto2Schema } from "../fixtures/codec/gen/conformance/test_messages_proto2_pb.js";
import { TestAllTypesProto3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";
import { TestAllTypesProto2Schema as Editions2Schema } from "../fixtures/codec/gen/conformance/test_messages_proto2_editions_pb.js";
import { TestAllTypesProto3Schema as Editions3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_editions_pb.js";
import { TestAllTypesEdition2023Schema } from "../fixtures/codec/gen/conformance/test_messages_edition2023_pb.js";
import type { RandomOptions } from "./random-message.js";

// The message types the codec tests run on: the conformance messages from
// generated code, and every type of the fixture protos.

const require = createRequire(import.meta.url);
const buf = require.resolve("@bufbuild/buf/bin/buf");

/** The conformance test messages (proto2, proto3, their editions variants, edition 2023), from generated code. */
export const conformanceSchemas: readonly DescMessage[] = [
  TestAllTypesProto2Schema,
  TestAllTypesProto3Schema,
  Editions2Schema,
  Editions3Schema,
  TestAllTypesEdition2023Schema,
];

/** Every message type (and extension) of the fixture protos, via buf build. */
function loadRegistry() {
  const image = execFileSync(buf, ["build", "test/fixtures/codec/protos", "-o", "-#format=binpb"], { maxBuffer: 64 << 20 });
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
}

/** The registry of the fixture protos. */
export const registry = loadRegistry();

/** Every message type of the fixture protos. */
export function fixtureMessageTypes(): DescMessage[] {
  return [...registry].filter((type): type is DescMessage => type.kind === "message");
}

const extensions = new Map<string, DescExtension[]>();
for (const type of registry) {
  if (type.kind !== "extension") continue;
  const list = extensions.get(type.extendee.typeName) ?? [];
  list.push(type);
  extensions.set(type.extendee.typeName, list);
}

/** Random messages a few levels deep, with the fixture extensions set at random. */
export const randomOptions: RandomOptions = { maxDepth: 3, extensions };

/** The compiled codec of a type; throws when the type does not compile. */
export function mustCompile<S extends DescMessage>(desc: S): CompiledCodec<S> {
  const compilation = compileCodec(desc);
  if ("unsupported" in compilation) throw new Error(`${desc.typeName} did not compile: ${compilation.unsupported}`);
  return compilation.codec;
}
