import { fromBinary, fromJson, toJson, type JsonReadOptions, type JsonValue, type JsonWriteOptions } from "@bufbuild/protobuf";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import type { ServerRoute } from "../server/server-routes.js";
import { tooLarge } from "./compression.js";

/** A message's form on the wire: protobuf binary or the proto3 JSON mapping. */
export type MessageFormat = "proto" | "json";

/** How the web protocols read requests and write responses of the server's methods. */
export interface MessageCodecOptions {
  readonly readOptions: Partial<JsonReadOptions>;
  readonly writeOptions: Partial<JsonWriteOptions>;
  /** The largest serialized response, in bytes (`Infinity` for no limit). */
  readonly maxSendBytes: number;
}

/**
 * Decodes a request message with the server's codec (binary) or the JSON
 * mapping; one that does not parse fails with INVALID_ARGUMENT.
 */
export function decodeRequest(route: ServerRoute, format: MessageFormat, bytes: Uint8Array, options: MessageCodecOptions): unknown {
  try {
    if (format === "proto") {
      return route.method.requestDeserialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    const json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as JsonValue;
    return fromJson(route.method.requestSchema, json, options.readOptions);
  } catch (error) {
    throw new RpcError(Code.INVALID_ARGUMENT, `failed to parse the ${format === "proto" ? "binary" : "JSON"} request message: ${(error as Error).message}`);
  }
}

/**
 * Returns the function that turns what the route's dispatcher sends (bytes
 * it serialized, or a message) into the response's bytes in `format`. A
 * response over the send limit fails with RESOURCE_EXHAUSTED.
 */
export function responseEncoder(route: ServerRoute, format: MessageFormat, options: MessageCodecOptions): (response: unknown) => Uint8Array {
  const serialize = (response: unknown): Uint8Array => (route.preSerialized ? (response as Uint8Array) : route.method.responseSerialize(response as never));
  const encode =
    format === "proto"
      ? serialize
      : (response: unknown): Uint8Array => {
          const message = fromBinary(route.method.responseSchema, serialize(response));
          return Buffer.from(JSON.stringify(toJson(route.method.responseSchema, message, options.writeOptions)), "utf8");
        };
  return (response) => {
    const bytes = encode(response);
    if (bytes.byteLength > options.maxSendBytes) {
      throw tooLarge("response", options.maxSendBytes, bytes.byteLength);
    }
    return bytes;
  };
}
