import { randomTools } from "./reliability-options.js";

type Mutation = (bytes: number[], tools: ReturnType<typeof randomTools>) => void;

const interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12];

/** Byte-level mutations of an encoding, each small enough to keep most of the structure. */
const mutations: readonly Mutation[] = [
  // Flip one bit.
  (bytes, { int }) => {
    if (bytes.length === 0) return;
    const at = int(0, bytes.length - 1);
    bytes[at] = bytes[at]! ^ (1 << int(0, 7));
  },
  // Overwrite a byte with one that means something to a protobuf reader (tags, varint continuation, 0xff).
  (bytes, { int, pick }) => {
    if (bytes.length === 0) return;
    bytes[int(0, bytes.length - 1)] = pick(interesting);
  },
  // Delete a range.
  (bytes, { int }) => {
    if (bytes.length === 0) return;
    const at = int(0, bytes.length - 1);
    bytes.splice(at, int(1, Math.min(8, bytes.length - at)));
  },
  // Duplicate a range (repeats a field, or part of one).
  (bytes, { int }) => {
    if (bytes.length === 0) return;
    const at = int(0, bytes.length - 1);
    const copy = bytes.slice(at, at + int(1, 16));
    bytes.splice(int(0, bytes.length), 0, ...copy);
  },
  // Insert random bytes.
  (bytes, { int }) => {
    bytes.splice(int(0, bytes.length), 0, ...Array.from({ length: int(1, 8) }, () => int(0, 255)));
  },
  // Truncate.
  (bytes, { int }) => {
    bytes.length = int(0, bytes.length);
  },
  // Append a field with a random tag and an overlong or huge varint value.
  (bytes, { int, pick }) => {
    bytes.push(
      (int(1, 40) << 3) | pick([0, 1, 2, 5]),
      ...pick([[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], [0x80, 0x80, 0x80, 0x00], [0x7f], [0xff, 0xff, 0xff, 0xff, 0x0f]]),
    );
  },
];

/** `bytes` with 1 to `max` random mutations applied (a new array; the input is kept). */
export function mutateBytes(bytes: Uint8Array, random: () => number, max = 4): Uint8Array {
  const tools = randomTools(random);
  const result = [...bytes];
  for (let count = tools.int(1, max); count > 0; count--) {
    tools.pick(mutations)(result, tools);
  }
  return Uint8Array.from(result);
}

/** Up to `maxLength` random bytes. */
export function randomBytes(random: () => number, maxLength: number): Uint8Array {
  const { int } = randomTools(random);
  return Uint8Array.from({ length: int(0, maxLength) }, () => int(0, 255));
}
