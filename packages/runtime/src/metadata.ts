import { Metadata, type MetadataValue } from "@grpc/grpc-js";

/**
 * The one metadata type of the runtime: grpc-js's `Metadata`. Request
 * headers (`context.metadata`, `call.metadata` in interceptors), response
 * headers and trailers (`context.header`, `context.trailer`, `onHeader`,
 * `onTrailer`, `RpcError.headers` and `metadata`) are all of it. Where the
 * runtime takes metadata as input (`CallOptions.metadata`,
 * `context.sendHeader()`, `RpcErrorOptions.metadata`) it also accepts a plain
 * record, a {@link MetadataInit}.
 */
export type { Metadata } from "@grpc/grpc-js";

/**
 * Anything that can be turned into gRPC metadata: a grpc-js `Metadata`, or a
 * plain record. Keys ending in `-bin` take `Buffer` values; other keys take
 * strings. An array value adds the key once per element.
 */
export type MetadataInit = Metadata | Readonly<Record<string, MetadataValue | readonly MetadataValue[]>>;

/**
 * Converts a {@link MetadataInit} to a fresh grpc-js `Metadata`, so the
 * caller's object is never mutated by later additions.
 */
export function createMetadata(init?: MetadataInit): Metadata {
  if (init instanceof Metadata) {
    return init.clone();
  }
  const metadata = new Metadata();
  if (init !== undefined) {
    mergeMetadata(metadata, init);
  }
  return metadata;
}

/**
 * Adds every entry of `source` to `target` (append, never replace) and
 * returns `target`.
 */
export function mergeMetadata(target: Metadata, source: MetadataInit): Metadata {
  if (source instanceof Metadata) {
    target.merge(source);
    return target;
  }
  for (const [key, value] of Object.entries(source)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      target.add(key, item as MetadataValue);
    }
  }
  return target;
}
