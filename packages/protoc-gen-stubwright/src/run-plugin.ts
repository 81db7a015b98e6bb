import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  type CodeGeneratorResponse,
} from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { withOptionHint } from "./option-hints.js";

/**
 * Runs a plugin on an encoded CodeGeneratorRequest and returns the encoded
 * response. Never throws: a request that does not decode, a bad option or a
 * generator failure becomes the response's `error`, which protoc and buf
 * print as `--<name>_out: <error>`, instead of a stack trace on stderr.
 */
export function runPlugin(plugin: Plugin, requestBytes: Uint8Array): Uint8Array {
  return toBinary(CodeGeneratorResponseSchema, respond(plugin, requestBytes));
}

function respond(plugin: Plugin, requestBytes: Uint8Array): CodeGeneratorResponse {
  let request;
  try {
    request = fromBinary(CodeGeneratorRequestSchema, requestBytes);
  } catch (error) {
    return failure(`${plugin.name}: malformed CodeGeneratorRequest on stdin: ${describe(error)}`);
  }
  try {
    return plugin.run(request);
  } catch (error) {
    const files = request.fileToGenerate.join(", ");
    return failure(`${plugin.name}: ${withOptionHint(describe(error))}${files === "" ? "" : ` (generating ${files})`}`);
  }
}

function failure(message: string): CodeGeneratorResponse {
  return create(CodeGeneratorResponseSchema, { error: message });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
