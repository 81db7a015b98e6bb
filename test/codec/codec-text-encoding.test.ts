import { fromBinary } from "@bufbuild/protobuf";
import { configureTextEncoding } from "@bufbuild/protobuf/wire";
import { createDeserializer } from "@stubwright/runtime/codec";
import { describe, expect, it } from "vitest";
import { TestAllTypesProto3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";

// protobuf-es versions decode strings differently: older ones drop a leading
// U+FEFF and never reject invalid UTF-8. The compiled codec must decode exactly
// as the protobuf-es it runs with, so this file gives protobuf-es such a text
// encoding (configureTextEncoding configures only this process's copy).

const encoder = new TextEncoder();
const lenientDroppingBom = new TextDecoder("utf-8");
configureTextEncoding({
  encodeUtf8: (text) => encoder.encode(text),
  decodeUtf8: (bytes) => lenientDroppingBom.decode(bytes),
  checkUtf8: () => true,
});

/** A length-delimited field record: the tag's varint bytes, a one-byte length, the payload. */
function record(tag: readonly number[], payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...tag, payload.length]), payload]);
}

describe("the compiled codec decodes strings with protobuf-es's text encoding", () => {
  it("drops a leading U+FEFF where protobuf-es does", () => {
    const bom = encoder.encode("\ufeffbom first");
    // optional_string (14), repeated_string (44), map_string_string (69) with the BOM in key and value.
    const entry = Buffer.concat([record([0x0a], bom), record([0x12], bom)]);
    const bytes = Buffer.concat([record([0x72], bom), record([0xe2, 0x02], bom), record([0xaa, 0x04], entry)]);
    const expected = fromBinary(TestAllTypesProto3Schema, bytes);
    expect(expected.optionalString).toBe("bom first");
    expect(expected.mapStringString).toEqual({ "bom first": "bom first" });
    expect(createDeserializer(TestAllTypesProto3Schema)(bytes)).toEqual(expected);
  });

  it("replaces invalid UTF-8 where protobuf-es does instead of throwing", () => {
    const invalid = Buffer.from([0x72, 0x02, 0xc3, 0x28]);
    const expected = fromBinary(TestAllTypesProto3Schema, invalid);
    expect(expected.optionalString).toBe("\ufffd(");
    expect(createDeserializer(TestAllTypesProto3Schema)(invalid)).toEqual(expected);
  });
});
