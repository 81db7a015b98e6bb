import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import {
  createFileRegistry,
  equals,
  fromBinary,
  toBinary,
  type DescExtension,
  type DescMessage,
  type Message,
} from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { compileCodec, type CompiledCodec } from "../../packages/runtime/src/codec/compile-codec.js";
import { TestAllTypesProto2Schema } from "../fixtures/codec/gen/conformance/test_messages_proto2_pb.js";
import { TestAllTypesProto3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_pb.js";
import { TestAllTypesProto2Schema as Editions2Schema } from "../fixtures/codec/gen/conformance/test_messages_proto2_editions_pb.js";
import { TestAllTypesProto3Schema as Editions3Schema } from "../fixtures/codec/gen/conformance/test_messages_proto3_editions_pb.js";
import { TestAllTypesEdition2023Schema } from "../fixtures/codec/gen/conformance/test_messages_edition2023_pb.js";
import { createRandom, randomMessage, type RandomOptions } from "./random-message.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// Differential fuzz test: the compiled codec against protobuf-es's toBinary /
// fromBinary, on seeded random messages. Seeded and bounded: each run checks
// the same few thousand messages in a couple of seconds.

const require = createRequire(import.meta.url);
const buf = require.resolve("@bufbuild/buf/bin/buf");

/** Every message type (and extension) of the fixture protos, via buf build. */
function loadRegistry() {
  const image = execFileSync(buf, ["build", "test/fixtures/codec/protos", "-o", "-#format=binpb"], { maxBuffer: 64 << 20 });
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
}

const registry = loadRegistry();
const extensions = new Map<string, DescExtension[]>();
for (const type of registry) {
  if (type.kind !== "extension") continue;
  const list = extensions.get(type.extendee.typeName) ?? [];
  list.push(type);
  extensions.set(type.extendee.typeName, list);
}
const options: RandomOptions = { maxDepth: 3, extensions };

function mustCompile<S extends DescMessage>(desc: S): CompiledCodec<S> {
  const codec = compileCodec(desc);
  if (codec === undefined) throw new Error(`${desc.typeName} did not compile`);
  return codec;
}

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
  const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x));
  const diffs = [...keys].filter((k) => show(ra[k]) !== show(rb[k])).map((k) => `${k}: ${show(ra[k])} vs ${show(rb[k])}`);
  return `${desc.typeName} ${diffs.join("; ").slice(0, 1500)}`;
}

/**
 * Structural comparison, stricter than equals(): same own keys, same
 * prototypes, Object.is for primitives (NaN equals NaN, -0 differs from 0),
 * byte contents for Uint8Array. Returns the path of the first difference.
 */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array)) return path;
    return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0 ? undefined : path;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return `${path} (${String(a)} vs ${String(b)})`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path} (prototype)`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join() !== kb.join() && [...ka].sort().join() !== [...kb].sort().join()) return `${path} (keys ${ka.join()} vs ${kb.join()})`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
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
  const conformance = [
    TestAllTypesProto2Schema,
    TestAllTypesProto3Schema,
    Editions2Schema,
    Editions3Schema,
    TestAllTypesEdition2023Schema,
  ];
  for (const [n, schema] of conformance.entries()) {
    it(`round-trips random ${schema.typeName} (generated code)`, () => {
      fuzz(schema, 1000 + n, 120);
    });
  }

  it("round-trips random messages of every fixture type (descriptors from buf build)", () => {
    let count = 0;
    for (const type of registry) {
      if (type.kind !== "message") continue;
      fuzz(type, 7 + count, 12);
      count++;
    }
    expect(count).toBeGreaterThan(100);
  });
});
