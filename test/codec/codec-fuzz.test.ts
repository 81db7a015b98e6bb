import { equals, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import type { CompiledCodec } from "../../packages/runtime/src/codec/compile-codec.js";
import { conformanceSchemas, fixtureMessageTypes, mustCompile, randomOptions as options, registry } from "./codec-fixtures.js";
import { firstDifference } from "./message-difference.js";
import { createRandom, randomMessage } from "./random-message.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// Differential fuzz test: the compiled codec against protobuf-es's toBinary /
// fromBinary, on seeded random messages. Seeded and bounded: each run checks
// the same few thousand messages in a couple of seconds.

/** Checks one message both ways; returns a description of the first difference. */
function check(desc: DescMessage, codec: CompiledCodec<DescMessage>, message: Message): string | undefined {
  let expected: Uint8Array;
  try {
    expected = toBinary(desc, message);
  } catch (error) {
    // protobuf-es rejects the message (e.g. a required field): so must we.
    return throws(() => codec.encode(message)) ? undefined : `encode accepted what toBinary rejects: ${String(error)}`;
  }
  const actual = codec.encode(message);
  if (Buffer.compare(Buffer.from(expected), actual) !== 0) {
    return `encode differs:\n  toBinary ${Buffer.from(expected).toString("hex")}\n  compiled ${actual.toString("hex")}`;
  }
  for (const bytes of [expected, concat(expected, expected)]) {
    const want = fromBinary(desc, bytes);
    const got = codec.decode(bytes);
    // equals() is false for NaN values even between two fromBinary results:
    // then only the stricter structural comparison below applies.
    const opts = { unknown: true, extensions: true, registry };
    if (equals(desc, want, fromBinary(desc, bytes), opts) && !equals(desc, want, got, opts)) {
      return `decode differs from fromBinary (equals): ${describeDifference(desc, want, got)}`;
    }
    const path = firstDifference(want, got, "");
    if (path !== undefined) return `decode differs from fromBinary at ${path}`;
    if (reencode(desc, want) !== reencode(desc, got)) {
      return `decoded message re-encodes differently (unknown fields?)`;
    }
  }
  return undefined;
}

/** Names the fields whose values differ (for the failure message). */
function describeDifference(desc: DescMessage, a: Message, b: Message): string {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  const show = (v: unknown) =>
    JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x));
  const diffs = [...keys].filter((k) => show(ra[k]) !== show(rb[k])).map((k) => `${k}: ${show(ra[k])} vs ${show(rb[k])}`);
  return `${desc.typeName} ${diffs.join("; ").slice(0, 1500)}`;
}

/** toBinary as hex, or its error message (a decoded message may lack a required field). */
function reencode(desc: DescMessage, message: Message): string {
  try {
    return Buffer.from(toBinary(desc, message)).toString("hex");
  } catch (error) {
    return String(error);
  }
}

function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function fuzz(desc: DescMessage, seed: number, iterations: number): void {
  const codec = mustCompile(desc);
  const random = createRandom(seed);
  for (let i = 0; i < iterations; i++) {
    const message = randomMessage(desc, random, options);
    const problem = check(desc, codec, message);
    if (problem !== undefined) {
      throw new Error(`${desc.typeName}, seed ${seed}, iteration ${i}: ${problem}`);
    }
  }
}

describe("compiled codec, differential against protobuf-es", () => {
  for (const [n, schema] of conformanceSchemas.entries()) {
    it(`round-trips random ${schema.typeName} (generated code)`, () => {
      fuzz(schema, 1000 + n, 120);
    });
  }

  it("round-trips random messages of every fixture type (descriptors from buf build)", () => {
    const types = fixtureMessageTypes();
    for (const [n, type] of types.entries()) fuzz(type, 7 + n, 12);
    expect(types.length).toBeGreaterThan(100);
  });
});
