import { spawnSync } from "node:child_process";
import type { CodeGeneratorRequest, CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import { decodeResponse, encodeRequest } from "../support/plugin-request.js";
import { programTimeoutMs } from "../support/program-timeouts.js";
import { docsPlugin } from "./generate-docs.mjs";

/** What the docs executable answered to one request. */
export interface DocsRun {
  /** The response's error, "" when it has none. */
  readonly error: string;
  /** Generated files by name. */
  readonly files: ReadonlyMap<string, string>;
  readonly status: number | null;
  readonly stderr: string;
}

/** Runs protoc-gen-stubwright-docs as protoc does: the request on stdin, the response on stdout. */
export function runDocsBin(request: CodeGeneratorRequest): DocsRun {
  const result = spawnSync(process.execPath, [docsPlugin], { input: encodeRequest(request), timeout: programTimeoutMs });
  const response: CodeGeneratorResponse = decodeResponse(result.stdout);
  return {
    error: response.error ?? "",
    files: new Map(response.file.map((file) => [file.name, file.content])),
    status: result.status,
    stderr: result.stderr.toString(),
  };
}
