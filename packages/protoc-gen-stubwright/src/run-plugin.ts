import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema, type CodeGeneratorRequest, type CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { withOptionHint } from "./option-hints.js";

/**
 * Runs a plugin on an encoded CodeGeneratorRequest and returns the encoded
 * response. Never throws: a request that does not decode, a bad option or a
 * generator failure becomes the response's `error`, which protoc and buf
 * print as `--<name>_out: <error>`, instead of a stack trace on stderr.
 * (The executable itself rejects stdin that is not a request before this;
 * see {@link readRequest}.)
 */
export function runPlugin(plugin: Plugin, requestBytes: Uint8Array): Uint8Array {
  let request: CodeGeneratorRequest;
  try {
    request = fromBinary(CodeGeneratorRequestSchema, requestBytes);
  } catch (error) {
    return encodeResponse(failure(`${plugin.name}: malformed CodeGeneratorRequest on stdin: ${describe(error)}`));
  }
  return encodeResponse(respond(plugin, request));
}

/**
 * Decodes the CodeGeneratorRequest the executable read on stdin; throws an
 * Error saying why when the bytes are none: empty (no request was sent) or
 * not decodable (garbage, or cut short). A request that decodes but asks for
 * something impossible is for {@link respond} to answer.
 */
export function readRequest(requestBytes: Uint8Array): CodeGeneratorRequest {
  if (requestBytes.length === 0) {
    throw new Error("stdin is empty; expected a CodeGeneratorRequest");
  }
  try {
    return fromBinary(CodeGeneratorRequestSchema, requestBytes);
  } catch (error) {
    throw new Error(`stdin is not a CodeGeneratorRequest (${requestBytes.length} bytes): ${describe(error)}`);
  }
}

/**
 * Runs a plugin on a decoded request. Never throws: a bad option or a
 * generator failure becomes the response's `error`, as protoc expects.
 */
export function respond(plugin: Plugin, request: CodeGeneratorRequest): CodeGeneratorResponse {
  try {
    return plugin.run(request);
  } catch (error) {
    const files = request.fileToGenerate.join(", ");
    return failure(`${plugin.name}: ${withOptionHint(describe(error))}${files === "" ? "" : ` (generating ${files})`}`);
  }
}

/** Encodes a response for stdout. */
export function encodeResponse(response: CodeGeneratorResponse): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, response);
}

function failure(message: string): CodeGeneratorResponse {
  return create(CodeGeneratorResponseSchema, { error: message });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
