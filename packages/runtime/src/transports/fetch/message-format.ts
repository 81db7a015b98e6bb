import { create, fromJson, isMessage, toJson, type JsonReadOptions, type JsonWriteOptions } from "@bufbuild/protobuf";
import type { MethodDefinition } from "../../method-definition.js";

/** How messages travel in a call's bodies: protobuf binary, or protobuf's JSON mapping. */
export interface MessageFormat {
  /** True for the binary format. */
  readonly binary: boolean;
  /** Serializes a request (a message or its init shape); throws for one that cannot be. */
  encode(method: MethodDefinition, request: unknown): Uint8Array;
  /** Parses a response; throws for bytes that are not one. */
  decode(method: MethodDefinition, bytes: Uint8Array): unknown;
}

/** Options of the JSON format: the registry that resolves `google.protobuf.Any`, and JSON writing switches. */
export type JsonOptions = Partial<Pick<JsonReadOptions, "registry"> & Omit<JsonWriteOptions, "registry">>;

/**
 * The binary format, through the method's serializers, which carry the
 * client's codec.
 */
export const binaryFormat: MessageFormat = {
  binary: true,
  encode: (method, request) => method.requestSerialize(request as never),
  decode: (method, bytes) => method.responseDeserialize(bytes as never),
};

/**
 * The JSON format, through protobuf-es's JSON mapping with the method's
 * schemas. Unknown fields in a response are ignored, so a server with a newer
 * schema stays readable, as with the binary format.
 */
export function createJsonFormat(options: JsonOptions = {}): MessageFormat {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const readOptions: Partial<JsonReadOptions> = { ignoreUnknownFields: true, registry: options.registry };
  return {
    binary: false,
    encode(method, request) {
      const schema = method.requestSchema;
      const message = isMessage(request, schema) ? request : create(schema, request as never);
      return encoder.encode(JSON.stringify(toJson(schema, message, options)));
    },
    decode: (method, bytes) => fromJson(method.responseSchema, JSON.parse(decoder.decode(bytes)), readOptions),
  };
}
