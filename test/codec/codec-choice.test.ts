import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { closeClient } from "@stubwright/runtime";
import { createDeserializer, createSerializer, type Codec } from "@stubwright/runtime/codec";
import { afterEach, describe, expect, it } from "vitest";
import { TestAllTypesProto3Schema, TestAllTypesProto3_NestedEnum } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";
import { createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { startEchoServer, type EchoServer } from "../support/echo-server.js";

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

describe("serializers", () => {
  it("use the compiled codec by default, byte-identical to toBinary", () => {
    const serialize = createSerializer(TestAllTypesProto3Schema);
    const expected = toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, init));
    const bytes = serialize(init);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.equals(Buffer.from(expected))).toBe(true);
    // A large message gets a backing store of exactly its size (small ones share Node's pool).
    const large = { ...init, optionalBytes: new Uint8Array(64 * 1024).fill(7) };
    const largeBytes = serialize(large);
    expect(largeBytes.equals(Buffer.from(toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, large))))).toBe(true);
    expect(largeBytes.byteOffset).toBe(0);
    expect(largeBytes.buffer.byteLength).toBe(largeBytes.length);
    const decoded = createDeserializer(TestAllTypesProto3Schema)(bytes);
    expect(decoded).toEqual(fromBinary(TestAllTypesProto3Schema, expected));
  });

  it("use protobuf-es's codec when asked, and reject an unknown choice", () => {
    const bytes = createSerializer(TestAllTypesProto3Schema, "protobuf-es")(init);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.equals(Buffer.from(toBinary(TestAllTypesProto3Schema, create(TestAllTypesProto3Schema, init))))).toBe(true);
    expect(createDeserializer(TestAllTypesProto3Schema, "protobuf-es")(bytes).optionalString).toBe("grüße 😀");
    expect(() => createSerializer(TestAllTypesProto3Schema, "fast" as never)).toThrow(TypeError);
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

  it("encode values protobuf-es coerces as it does", () => {
    // A decimal string and a hexadecimal one in an int64 field: protobuf-es
    // parses both (the compiled code the first, protobuf-es the second).
    for (const value of ["-12345678901234", "0x10"]) {
      const message = create(TestAllTypesProto3Schema);
      (message as { optionalInt64: unknown }).optionalInt64 = value;
      expect(createSerializer(TestAllTypesProto3Schema)(message).equals(Buffer.from(toBinary(TestAllTypesProto3Schema, message)))).toBe(true);
    }
  });

  it("reject malformed input like fromBinary (grpc-js turns the throw into INTERNAL)", () => {
    const deserialize = createDeserializer(TestAllTypesProto3Schema);
    // Field 14 (string) with a length running past the end.
    const truncated = Buffer.from([0x72, 0x05, 0x61]);
    expect(() => fromBinary(TestAllTypesProto3Schema, truncated)).toThrow("premature EOF");
    expect(() => deserialize(truncated)).toThrow("premature EOF");
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
    // optional_int32 (1) with wire type 2: protobuf-es reads a varint anyway.
    const wrongWireType = Buffer.from([0x0a, 0x08]);
    expect(fromBinary(TestAllTypesProto3Schema, wrongWireType).optionalInt32).toBe(8);
    expect(deserialize(wrongWireType)).toEqual(fromBinary(TestAllTypesProto3Schema, wrongWireType));
  });
});

/** A codec of one's own: protobuf-es's, logging every message it handles. */
function createRecordingCodec(name: string): { readonly codec: Codec; readonly log: string[] } {
  const log: string[] = [];
  const codec: Codec = {
    name,
    messageCodec: (schema) => ({
      encode(message) {
        log.push(`encode ${schema.name}`);
        return toBinary(schema, message);
      },
      decode(bytes) {
        log.push(`decode ${schema.name}`);
        return fromBinary(schema, bytes);
      },
    }),
  };
  return { codec, log };
}

describe("codec per client and per server", () => {
  let echo: EchoServer | undefined;
  afterEach(() => echo?.close());

  it("each client and server uses its own codec; others in the process are unaffected", async () => {
    const server = createRecordingCodec("server");
    const client = createRecordingCodec("client");
    echo = await startEchoServer(
      {
        echo: (request) => ({ message: request.message }),
        async *expand(request) {
          for (let index = 0; index < request.repeat; index++) yield { message: request.message, index };
        },
      },
      { codec: server.codec },
      { codec: client.codec },
    );
    expect((await echo.client.echo({ message: "a" })).message).toBe("a");
    expect(client.log).toEqual(["encode EchoRequest", "decode EchoResponse"]);
    expect(server.log).toEqual(["decode EchoRequest", "encode EchoResponse"]);

    const replies: number[] = [];
    for await (const reply of echo.client.expand({ message: "b", repeat: 3 })) replies.push(reply.index);
    expect(replies).toEqual([0, 1, 2]);
    expect(client.log.slice(2)).toEqual(["encode EchoRequest", "decode EchoResponse", "decode EchoResponse", "decode EchoResponse"]);
    expect(server.log.slice(2)).toEqual(["decode EchoRequest", "encode EchoResponse", "encode EchoResponse", "encode EchoResponse"]);

    // A second client in the same process, with the default codec.
    const other = createEchoServiceClient(echo.address);
    try {
      expect((await other.echo({ message: "c" })).message).toBe("c");
    } finally {
      closeClient(other);
    }
    expect(client.log).toHaveLength(6);
    expect(server.log.slice(6)).toEqual(["decode EchoRequest", "encode EchoResponse"]);
  });

  it("a client or server with the protobuf-es codec talks to one with the compiled codec", async () => {
    echo = await startEchoServer({ echo: (request) => ({ message: request.message.toUpperCase() }) }, { codec: "protobuf-es" });
    expect((await echo.client.echo({ message: "grüße" })).message).toBe("GRÜSSE");
    const other = createEchoServiceClient(echo.address, { codec: "protobuf-es" });
    try {
      expect((await other.echo({ message: "x" })).message).toBe("X");
    } finally {
      closeClient(other);
    }
  });

  it("rejects an option that names no codec", () => {
    expect(() => createEchoServiceClient("127.0.0.1:1", { codec: "fast" as never })).toThrow(TypeError);
  });
});
