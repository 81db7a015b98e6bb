import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponseSchema,
  FileDescriptorSetSchema,
  type CodeGeneratorRequest,
  type CodeGeneratorResponse,
  type FileDescriptorSet,
} from "@bufbuild/protobuf/wkt";
import { createStubwrightPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const bufBin = createRequire(import.meta.url).resolve("@bufbuild/buf/bin/buf");

/**
 * Compiles .proto sources (path relative to the module root → content) with
 * `buf build` into a FileDescriptorSet with imports and source info, the way
 * buf and protoc hand them to a plugin.
 */
export function compileProtos(sources: Readonly<Record<string, string>>): FileDescriptorSet {
  const dir = mkdtempSync(join(tmpdir(), "stubwright-protos-"));
  try {
    for (const [path, content] of Object.entries(sources)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const bytes = execFileSync(bufBin, ["build", "-o", "-", "--as-file-descriptor-set"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    return fromBinary(FileDescriptorSetSchema, bytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A CodeGeneratorRequest for `filesToGenerate` out of a compiled set, with
 * `parameter` as protoc would pass it (`target=ts,import_extension=js`).
 */
export function createRequest(set: FileDescriptorSet, filesToGenerate: readonly string[], parameter = ""): CodeGeneratorRequest {
  return create(CodeGeneratorRequestSchema, {
    fileToGenerate: [...filesToGenerate],
    parameter,
    protoFile: set.file,
    compilerVersion: { major: 3, minor: 21, patch: 12 },
  });
}

/** Encodes a request for a plugin's stdin. */
export function encodeRequest(request: CodeGeneratorRequest): Uint8Array {
  return toBinary(CodeGeneratorRequestSchema, request);
}

/** Decodes a plugin's stdout. */
export function decodeResponse(bytes: Uint8Array): CodeGeneratorResponse {
  return fromBinary(CodeGeneratorResponseSchema, bytes);
}

/**
 * Runs a fresh protoc-gen-stubwright in-process on encoded request bytes
 * through `runPlugin`, exactly as the executable does, and decodes the result.
 */
export function runFreshPlugin(requestBytes: Uint8Array): CodeGeneratorResponse {
  return decodeResponse(runPlugin(createStubwrightPlugin(), requestBytes));
}

/** Runs a fresh plugin on a request and returns the generated files by name. */
export function generateInProcess(request: CodeGeneratorRequest): {
  /** The response's error, "" when it has none. */
  readonly error: string;
  readonly files: ReadonlyMap<string, string>;
} {
  const response = runFreshPlugin(encodeRequest(request));
  return {
    error: response.error,
    files: new Map(response.file.map((file) => [file.name, file.content])),
  };
}
