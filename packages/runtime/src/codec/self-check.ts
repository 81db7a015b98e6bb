import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { CompiledCodec } from "./compile-codec.js";
import { probeBytes } from "./probe-message.js";

/**
 * Checks a compiled codec against the protobuf-es version actually loaded,
 * once per type before its first use: the probe message (see
 * probe-message.ts) and an empty message must decode to exactly what
 * `fromBinary` returns (same prototypes, own properties and values), and the
 * probe must encode to exactly `toBinary`'s bytes. The compiled code mirrors
 * how protobuf-es represents messages (the shape `create` returns, proto2
 * default prototypes, oneofs, `$unknown`, 64-bit values); a protobuf-es
 * version that represents them otherwise fails here instead of being
 * encoded or decoded wrongly. Returns what differs, or undefined.
 */
export function selfCheck<S extends DescMessage>(schema: S, codec: CompiledCodec<S>): string | undefined {
  try {
    const bytes = probeBytes(schema);
    const expected = fromBinary(schema, bytes);
    const decoded = difference(expected, codec.decode(bytes), "probe");
    if (decoded !== undefined) return `decoding differs from fromBinary at ${decoded}`;
    const encoded = compareEncoding(schema, codec, expected);
    if (encoded !== undefined) return encoded;
    const empty = difference(fromBinary(schema, new Uint8Array(0)), codec.decode(new Uint8Array(0)), "empty message");
    return empty === undefined ? undefined : `decoding differs from fromBinary at ${empty}`;
  } catch (error) {
    return `the self-check failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function compareEncoding<S extends DescMessage>(schema: S, codec: CompiledCodec<S>, message: MessageShape<S>): string | undefined {
  let expected: Uint8Array;
  try {
    expected = toBinary(schema, message);
  } catch {
    // protobuf-es cannot encode the probe (a required field deeper than the
    // probe goes): the compiled codec must not either.
    return throws(() => codec.encode(message)) ? undefined : "encoding succeeds where toBinary throws";
  }
  const actual = codec.encode(message);
  return Buffer.compare(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength), actual) === 0 ? undefined : "encoding differs from toBinary";
}

function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}

/**
 * The path of the first difference between two decoded values, or
 * undefined: primitives by Object.is, bytes by content, arrays by element,
 * objects by prototype, own enumerable keys (in any order) and values.
 */
function difference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return path;
    return a.every((byte, i) => byte === b[i]) ? undefined : path;
  }
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path} (prototype)`;
  const keys = Object.keys(a);
  const other = new Set(Object.keys(b));
  if (keys.length !== other.size || keys.some((key) => !other.has(key))) return `${path} (properties)`;
  for (const key of keys) {
    const found = difference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
