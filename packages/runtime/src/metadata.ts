import { asNodeBuffer } from "./node-buffer.js";

/**
 * A value of gRPC metadata: a string, or bytes for a key ending in `-bin`.
 * On Node, bytes received over grpc-js are `Buffer`s (a `Uint8Array`).
 */
export type MetadataValue = string | Uint8Array;

/**
 * gRPC metadata: request headers (`context.metadata`, `call.metadata` in
 * interceptors), response headers and trailers (`context.header`,
 * `context.trailer`, `onHeader`, `onTrailer`, `RpcError.headers` and
 * `metadata`). Keys are lowercase; a key ending in `-bin` holds bytes.
 *
 * An interface, so the runtime works without grpc-js (in a browser): on
 * Node, metadata that grpc-js received is grpc-js's own `Metadata`, which has
 * this shape; {@link createMetadata} makes metadata anywhere.
 */
export interface Metadata {
  /** Every value of `key`, in order; empty if there is none. */
  get(key: string): MetadataValue[];
  /** Replaces every value of `key` with `value`. */
  set(key: string, value: MetadataValue): void;
  /** Adds `value` after the values `key` already has. */
  add(key: string, value: MetadataValue): void;
  /** Removes every value of `key`. */
  remove(key: string): void;
  /** The first value of every key. */
  getMap(): { [key: string]: MetadataValue };
  /** A copy that later changes to either side do not affect. */
  clone(): Metadata;
  /** Every key with all its values. */
  toJSON(): { [key: string]: MetadataValue[] };
}

/**
 * Anything that can be turned into gRPC metadata: a {@link Metadata} (also
 * grpc-js's), or a plain record. Keys ending in `-bin` take bytes; other keys
 * take strings. An array value adds the key once per element.
 */
export type MetadataInit = Metadata | Readonly<Record<string, MetadataValue | readonly MetadataValue[]>>;

const LEGAL_KEY = /^[:0-9a-z_.-]+$/;
const LEGAL_VALUE = /^[ -~]*$/;

/**
 * The runtime's own metadata: a map of lowercase keys to value lists,
 * validated as grpc-js validates metadata (so a call fails the same way on
 * every transport), with no dependency on Node.
 */
class MetadataMap implements Metadata {
  readonly #entries = new Map<string, MetadataValue[]>();

  get(key: string): MetadataValue[] {
    return [...(this.#entries.get(key.toLowerCase()) ?? [])];
  }

  set(key: string, value: MetadataValue): void {
    const name = checkedKey(key);
    this.#entries.set(name, [checkedValue(name, value)]);
  }

  add(key: string, value: MetadataValue): void {
    const name = checkedKey(key);
    const checked = checkedValue(name, value);
    const values = this.#entries.get(name);
    if (values === undefined) {
      this.#entries.set(name, [checked]);
    } else {
      values.push(checked);
    }
  }

  remove(key: string): void {
    this.#entries.delete(key.toLowerCase());
  }

  getMap(): { [key: string]: MetadataValue } {
    const map: { [key: string]: MetadataValue } = {};
    for (const [key, values] of this.#entries) {
      const first = values[0];
      if (first !== undefined) map[key] = first;
    }
    return map;
  }

  clone(): Metadata {
    const copy = new MetadataMap();
    for (const [key, values] of this.#entries) {
      copy.#entries.set(key, [...values]);
    }
    return copy;
  }

  toJSON(): { [key: string]: MetadataValue[] } {
    const json: { [key: string]: MetadataValue[] } = {};
    for (const [key, values] of this.#entries) {
      json[key] = [...values];
    }
    return json;
  }
}

function checkedKey(key: string): string {
  const name = key.toLowerCase();
  if (!LEGAL_KEY.test(name)) {
    throw new Error(`Metadata key "${name}" contains illegal characters`);
  }
  return name;
}

function checkedValue(key: string, value: MetadataValue): MetadataValue {
  if (key.endsWith("-bin")) {
    if (!(value instanceof Uint8Array)) {
      throw new Error("keys that end with '-bin' must have Buffer values");
    }
    return asNodeBuffer(value);
  }
  if (typeof value !== "string") {
    throw new Error("keys that don't end with '-bin' must have String values");
  }
  if (!LEGAL_VALUE.test(value)) {
    throw new Error(`Metadata string value "${value}" contains illegal characters`);
  }
  return value;
}

/** True for a {@link Metadata} (the runtime's or grpc-js's), as opposed to a plain record. */
export function isMetadata(value: unknown): value is Metadata {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Metadata>).getMap === "function" &&
    typeof (value as Partial<Metadata>).toJSON === "function" &&
    typeof (value as Partial<Metadata>).clone === "function"
  );
}

/**
 * Converts a {@link MetadataInit} to fresh metadata, so the caller's object
 * is never mutated by later additions.
 */
export function createMetadata(init?: MetadataInit): Metadata {
  const metadata = new MetadataMap();
  if (init !== undefined) {
    mergeMetadata(metadata, init);
  }
  return metadata;
}

/**
 * Adds every entry of `source` to `target` (append, never replace) and
 * returns `target`.
 */
export function mergeMetadata<M extends Metadata>(target: M, source: MetadataInit): M {
  const entries: Readonly<Record<string, MetadataValue | readonly MetadataValue[]>> = isMetadata(source) ? source.toJSON() : source;
  for (const [key, value] of Object.entries(entries)) {
    for (const item of Array.isArray(value) ? (value as readonly MetadataValue[]) : [value as MetadataValue]) {
      target.add(key, item);
    }
  }
  return target;
}
