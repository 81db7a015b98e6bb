import { fromBinary, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { conformanceSchemas, fixtureMessageTypes, mustCompile, randomOptions } from "./codec-fixtures.js";
import { firstDifference } from "./message-difference.js";
import { createRandom, randomMessage } from "./random-message.js";
import { TestAllTypesProto3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";

type Outcome = { readonly value: unknown } | { readonly error: string };

function outcome(f: () => unknown): Outcome {
  try {
    return { value: f() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** A copy of `bytes` with one random change: a byte replaced, inserted or removed, or the end cut off. */
function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const at = Math.floor(random() * (bytes.length + 1));
  const byte = Math.floor(random() * 256);
  switch (Math.floor(random() * 4)) {
    case 0:
      return Uint8Array.from(bytes, (b, i) => (i === at ? byte : b));
    case 1:
      return Uint8Array.from([...bytes.subarray(0, at), byte, ...bytes.subarray(at)]);
    case 2:
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    default:
      return bytes.slice(0, at);
  }
}

/**
 * What only the compiled decoder rejects: a length-delimited field or a group
 * running past the end of the message that holds it, which protobuf-es reads
 * past (into the enclosing message) instead of rejecting.
 */
const overrun = new Set(["RangeError: premature EOF", "Error: invalid end group tag"]);

/**
 * protobuf-es before 2.17 reads the rest of a map entry leniently: it accepts
 * an entry whose unknown field runs past the entry's end, and then tags the
 * compiled decoder (like 2.17) rejects: field number 0, a stray end-group, a
 * tag longer than 32 bits.
 * Allowed only when the protobuf-es loaded here is that lenient (a
 * map_string_string entry with such a field), so that the runtime's whole peer
 * range runs this file.
 */
const lenientMapEntries =
  "value" in
  outcome(() => fromBinary(TestAllTypesProto3Schema, Buffer.from([0xaa, 0x04, 0x0c, 0x0a, 0x01, 0x79, 0x12, 0x01, 0x7a, 0x1a, 0xf9, 0xff, 0xff, 0xff, 0x01])));
const rejectedInLenientMapEntries = ["Error: illegal tag: field no 0", "Error: cant skip wire type 4", "Error: illegal tag: varint overflows uint32"];

/** Whether the compiled decoder may reject input that fromBinary accepts with this error. */
function mayReject(error: string): boolean {
  return overrun.has(error) || (lenientMapEntries && rejectedInLenientMapEntries.some((prefix) => error.startsWith(prefix)));
}

/**
 * Mutates encodings of random messages and decodes them both ways: the
 * compiled decoder must never accept what fromBinary rejects, must decode
 * exactly like it whenever it accepts, and may reject only overruns that
 * fromBinary lets through.
 */
function check(desc: DescMessage, seed: number, iterations: number): void {
  const codec = mustCompile(desc);
  const random = createRandom(seed);
  for (let i = 0; i < iterations; i++) {
    let bytes: Uint8Array;
    try {
      bytes = toBinary(desc, randomMessage(desc, random, randomOptions));
    } catch {
      continue; // a random proto2 message may lack a required field
    }
    const input = mutate(bytes, random);
    const want = outcome(() => fromBinary(desc, input));
    const got = outcome(() => codec.decode(input));
    const where = `${desc.typeName}, seed ${seed}, iteration ${i}, input ${Buffer.from(input).toString("hex")}`;
    if ("value" in got) {
      if ("error" in want) throw new Error(`${where}: the compiled decoder accepts what fromBinary rejects (${want.error})`);
      const path = firstDifference(want.value, got.value, "");
      if (path !== undefined) throw new Error(`${where}: decoded differently at ${path}`);
    } else if ("value" in want) {
      if (!mayReject(got.error)) throw new Error(`${where}: the compiled decoder rejects what fromBinary accepts (${got.error})`);
    }
  }
}

describe("compiled decoder on malformed input, differential against fromBinary", () => {
  for (const [n, schema] of conformanceSchemas.entries()) {
    it(`agrees with fromBinary on mutated ${schema.typeName}`, () => {
      check(schema, 500 + n, 300);
    });
  }

  it("agrees with fromBinary on mutated messages of every fixture type", () => {
    const types = fixtureMessageTypes();
    for (const [n, type] of types.entries()) check(type, 90 + n, 12);
  });

  it("reads a known field sent with another wire type as its own type, like fromBinary", () => {
    const codec = mustCompile(TestAllTypesProto3Schema);
    // optional_int32 (1) as length-delimited; optional_string (14) as varint;
    // optional_nested_message (18) as fixed32; repeated_string (44) as varint
    // (all read as their own types); optional_nested_enum (21) as fixed64.
    for (const hex of ["0a08", "7003616263", "9501020801", "e0020161", "a90101"]) {
      const input = Buffer.from(hex, "hex");
      const want = outcome(() => fromBinary(TestAllTypesProto3Schema, input));
      const got = outcome(() => codec.decode(input));
      expect("value" in want).toBe(true);
      expect(firstDifference(want, got, hex)).toBeUndefined();
    }
  });
});
