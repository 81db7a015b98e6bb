import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { createDeserializer, createSerializer, getCodecMode, getMessageCodec, setCodecMode } from "@stubwright/runtime";
import { afterEach, describe, expect, it } from "vitest";
import { TestAllTypesProto3Schema, TestAllTypesProto3_NestedEnum } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";

const init = {
  optionalInt32: -5,
  optionalInt64: -9007199254740993n,
  optionalString: "grüße 😀",
  optionalNestedMessage: { a: 7 },
  repeatedInt64: [1n, -1n],
  mapStringString: { k: "v" },
  oneofField: { case: "oneofUint32" as const, value: 9 },
  optionalNestedEnum: TestAllTypesProto3_NestedEnum.BAZ,
};

describe("serializers used by generated definitions", () => {
  afterEach(() => setCodecMode("compiled"));

  it("use the compiled codec by default, byte-identical to toBinary", () => {
    expect(getCodecMode()).toBe("compiled");
    expect(getMessageCodec(TestAllTypesProto3Schema).compiled).toBe(true);
    const serialize = createSerializer(TestAllTypesProto3Schema);
    const expected = toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, init));
    const bytes = serialize(init);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.equals(Buffer.from(expected))).toBe(true);
    // Exactly sized: the size is computed first, nothing is grown or copied out.
    expect(bytes.length).toBe(expected.length);
    // A large message gets a backing store of exactly its size (small ones share Node's pool).
    const large = { ...init, optionalBytes: new Uint8Array(64 * 1024).fill(7) };
    const largeBytes = serialize(large);
    expect(largeBytes.equals(Buffer.from(toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, large))))).toBe(true);
    expect(largeBytes.byteOffset).toBe(0);
    expect(largeBytes.buffer.byteLength).toBe(largeBytes.length);
    const decoded = createDeserializer(TestAllTypesProto3Schema)(bytes);
    expect(decoded).toEqual(fromBinary(TestAllTypesProto3Schema, expected));
  });

  it("switch back to protobuf-es's codec with setCodecMode", () => {
    setCodecMode("protobuf-es");
    const bytes = createSerializer(TestAllTypesProto3Schema)(init);
    expect(bytes.equals(Buffer.from(toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, init))))).toBe(true);
    expect(createDeserializer(TestAllTypesProto3Schema)(bytes).optionalString).toBe("grüße 😀");
    expect(() => setCodecMode("fast" as never)).toThrow(/codec mode/);
  });

  it("leave values protobuf-es rejects to protobuf-es, with its error", () => {
    const message = create(TestAllTypesProto3Schema, { optionalInt32: 1 });
    (message as { optionalInt32: unknown }).optionalInt32 = 1.5;
    let expected: unknown;
    try {
      toBinary(TestAllTypesProto3Schema, message);
    } catch (error) {
      expected = error;
    }
    expect(String(expected)).toMatch(/int32/);
    expect(() => createSerializer(TestAllTypesProto3Schema)(message)).toThrow(String((expected as Error).message));
  });

  it("reject malformed input like fromBinary (grpc-js turns the throw into INTERNAL)", () => {
    const deserialize = createDeserializer(TestAllTypesProto3Schema);
    // Field 14 (string) with a length running past the end.
    const truncated = Buffer.from([0x72, 0x05, 0x61]);
    expect(() => fromBinary(TestAllTypesProto3Schema, truncated)).toThrow();
    expect(() => deserialize(truncated)).toThrow();
    // Invalid UTF-8 in a proto3 string (validated): protobuf-es throws, so do we.
    const invalid = Buffer.from([0x72, 0x02, 0xc3, 0x28]);
    expect(() => fromBinary(TestAllTypesProto3Schema, invalid)).toThrow();
    expect(() => deserialize(invalid)).toThrow();
  });

  it("accept the same non-canonical input as fromBinary (unpacked repeated, wrong wire type)", () => {
    const deserialize = createDeserializer(TestAllTypesProto3Schema);
    // repeated_int32 (31), packed by default, sent unpacked: two records.
    const unpacked = Buffer.from([0xf8, 0x01, 0x01, 0xf8, 0x01, 0x02]);
    expect(deserialize(unpacked).repeatedInt32).toEqual([1, 2]);
    // optional_int32 (1) with wire type 2: protobuf-es reads a varint anyway;
    // the compiled decoder hands such input over to it.
    const wrongWireType = Buffer.from([0x0a, 0x08]);
    expect(fromBinary(TestAllTypesProto3Schema, wrongWireType).optionalInt32).toBe(8);
    expect(deserialize(wrongWireType)).toEqual(fromBinary(TestAllTypesProto3Schema, wrongWireType));
  });
});
