import { ScalarType, create, setExtension, type DescExtension, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";

/** A small seeded PRNG (mulberry32), so every failure is reproducible. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const strings = [
  "",
  "a",
  "hello world",
  "héllo",
  "中文字符",
  "emoji 😀 pair",
  "\ufeffbom first",
  "lone \ud800 high",
  "lone \udc00 low",
  "end high \ud83d",
  "x".repeat(25),
  // 17 to 48 UTF-16 units: measured and written by the codec's JS loop, not natively.
  "ascii only, but longer than sixteen",
  "ü".repeat(20),
  "a pair 😀 amid ascii, thirty-odd units",
  "lone \ud800 high in a longer string",
  `${"z".repeat(47)}\udc00`,
  "y".repeat(70),
  "ü".repeat(40),
  "mixed ascii then 😀".repeat(5),
];

const int32s = [0, 1, -1, 127, 128, 300, 16384, -128, 2147483647, -2147483648, 1234567];
const uint32s = [0, 1, 127, 128, 16383, 16384, 2097152, 268435456, 4294967295, 2147483648];
const int64s = [
  0n,
  1n,
  -1n,
  127n,
  128n,
  9007199254740991n,
  9007199254740993n,
  -9007199254740993n,
  9223372036854775807n,
  -9223372036854775808n,
  4294967296n,
  -4294967296n,
];
const uint64s = [0n, 1n, 127n, 128n, 4294967295n, 4294967296n, 9007199254740993n, 18446744073709551615n, 9223372036854775808n];
const doubles = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e300, 5e-324, Math.PI];
const floats = [0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, Math.fround(3.4e38), Math.fround(1e-40), Math.fround(Math.PI)];

/** Options that bound the size of a random message. */
export interface RandomOptions {
  readonly maxDepth: number;
  /** Extensions, by extendee type name, set at random on messages. */
  readonly extensions?: ReadonlyMap<string, readonly DescExtension[]>;
}

/**
 * Builds a random message of any type: every field kind, random presence,
 * oneof cases, nested and recursive messages up to a depth, unknown fields,
 * out-of-range closed-enum values and extensions.
 */
export function randomMessage(desc: DescMessage, random: () => number, options: RandomOptions, depth = 0): Message {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const init: Record<string, unknown> = {};
  const setOneofs = new Set<string>();
  for (const field of desc.fields) {
    const required = field.presence === 3;
    if (!required && random() < 0.35) continue;
    if (field.oneof !== undefined) {
      if (setOneofs.has(field.oneof.localName) || random() < 0.5) continue;
      const value = singularValue(field, random, options, depth, pick);
      if (value === undefined) continue;
      setOneofs.add(field.oneof.localName);
      init[field.oneof.localName] = { case: field.localName, value };
      continue;
    }
    switch (field.fieldKind) {
      case "list": {
        const n = Math.floor(random() * 4);
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) {
          const value = listItem(field, random, options, depth, pick);
          if (value !== undefined) items.push(value);
        }
        init[field.localName] = items;
        break;
      }
      case "map": {
        const n = Math.floor(random() * 3);
        const record: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const value =
            field.mapKind === "message"
              ? messageValue(field.message, random, options, depth)
              : field.mapKind === "enum"
                ? pick(field.enum.values).number
                : scalarValue(field.scalar, false, random, pick);
          if (value === undefined) continue;
          record[String(scalarValue(field.mapKey, false, random, pick))] = value;
        }
        init[field.localName] = record;
        break;
      }
      default: {
        const value = singularValue(field, random, options, depth, pick);
        if (value !== undefined) init[field.localName] = value;
      }
    }
  }
  const message = create(desc, init as never) as Message;
  if (random() < 0.2) addUnknownFields(message, desc, random);
  const extensions = options.extensions?.get(desc.typeName) ?? [];
  for (const extension of extensions) {
    if (random() < 0.3 && extension.fieldKind === "scalar") {
      setExtension(message, extension, scalarValue(extension.scalar, extension.longAsString, random, pick) as never);
    }
  }
  return message;
}

function messageValue(desc: DescMessage, random: () => number, options: RandomOptions, depth: number): unknown {
  // Fewer children the deeper we are, so messages stay small.
  if (depth >= options.maxDepth || random() < depth * 0.4) return undefined;
  if (desc.typeName === "google.protobuf.Struct") return { a: 1, b: "two", c: [true, null, { d: 2.5 }] };
  if (desc.typeName === "google.protobuf.Value") return create(desc, { kind: { case: "stringValue", value: "v" } } as never);
  return randomMessage(desc, random, options, depth + 1);
}

function singularValue(field: DescField, random: () => number, options: RandomOptions, depth: number, pick: <T>(values: readonly T[]) => T): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return scalarValue(field.scalar, field.longAsString, random, pick);
    case "enum":
      // Now and then a value the enum does not declare (unknown for closed enums).
      return random() < 0.1 ? 77 : pick(field.enum.values).number;
    case "message": {
      const wrapped = field.message.fields[0];
      if (
        field.oneof === undefined &&
        field.message.typeName.startsWith("google.protobuf.") &&
        field.message.typeName.endsWith("Value") &&
        wrapped?.fieldKind === "scalar" &&
        wrapped.name === "value"
      ) {
        return scalarValue(wrapped.scalar, false, random, pick);
      }
      return messageValue(field.message, random, options, depth);
    }
    default:
      return undefined;
  }
}

function listItem(
  field: DescField & { fieldKind: "list" },
  random: () => number,
  options: RandomOptions,
  depth: number,
  pick: <T>(values: readonly T[]) => T,
): unknown {
  switch (field.listKind) {
    case "scalar":
      return scalarValue(field.scalar, field.longAsString, random, pick);
    case "enum":
      return pick(field.enum.values).number;
    case "message":
      return messageValue(field.message, random, options, depth);
  }
}

/** A random value of a scalar type in protobuf-es's local representation. */
function scalarValue(type: ScalarType, longAsString: boolean, random: () => number, pick: <T>(values: readonly T[]) => T): unknown {
  const long = (v: bigint) => (longAsString ? String(v) : v);
  switch (type) {
    case ScalarType.STRING:
      return pick(strings);
    case ScalarType.BYTES: {
      const n = random() < 0.1 ? 100 : Math.floor(random() * 12);
      return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
    }
    case ScalarType.BOOL:
      return random() < 0.5;
    case ScalarType.DOUBLE:
      return random() < 0.5 ? pick(doubles) : (random() - 0.5) * 1e6;
    case ScalarType.FLOAT:
      return random() < 0.5 ? pick(floats) : Math.fround((random() - 0.5) * 1e6);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return random() < 0.5 ? pick(int32s) : Math.floor((random() - 0.5) * 2 ** 32) | 0;
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return random() < 0.5 ? pick(uint32s) : Math.floor(random() * 2 ** 32) >>> 0;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return long(random() < 0.5 ? pick(int64s) : BigInt.asIntN(64, BigInt(Math.floor(random() * 2 ** 53)) * BigInt(Math.floor(random() * 4096) - 2048)));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return long(random() < 0.5 ? pick(uint64s) : BigInt(Math.floor(random() * 2 ** 53)) * BigInt(Math.floor(random() * 2048)));
  }
}

/** Adds raw unknown records (all wire types) with field numbers the type does not use. */
function addUnknownFields(message: Message, desc: DescMessage, random: () => number): void {
  const used = new Set(desc.fields.map((f) => f.number));
  let no = 9000 + Math.floor(random() * 100);
  while (used.has(no)) no++;
  const records = [
    { no, wireType: 0, data: new Uint8Array([0x96, 0x01]) },
    { no: no + 1, wireType: 2, data: new Uint8Array([3, 1, 2, 3]) },
    { no: no + 2, wireType: 5, data: new Uint8Array([1, 2, 3, 4]) },
    { no: no + 3, wireType: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) },
  ];
  message.$unknown = records.filter(() => random() < 0.6);
}
