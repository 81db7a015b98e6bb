import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { create, fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { repoRoot, tools } from "./generate-code.mjs";

/**
 * Builds the CodeGeneratorRequest `buf generate` would send a plugin for the
 * proto root `input`: every file in it to generate, with all its imports
 * (well-known types included) in dependency order and source info for
 * comments. `paths` limits the files to generate (relative to `input`).
 *
 * @param {string} input directory, absolute or relative to the repo root
 * @param {{ parameter?: string, paths?: readonly string[] }} [options]
 */
export function buildRequest(input, options = {}) {
  const root = resolve(repoRoot, input);
  const args = ["build", root, "-o", "-#format=binpb"];
  for (const path of options.paths ?? []) {
    args.push("--path", join(root, path));
  }
  const image = execFileSync(tools.buf, args, { cwd: repoRoot, maxBuffer: 1 << 30 });
  // A buf image is a FileDescriptorSet with extra fields, which are skipped here.
  const { file } = fromBinary(FileDescriptorSetSchema, image, { readUnknownFields: false });
  const selected = options.paths === undefined ? undefined : new Set(options.paths);
  return create(CodeGeneratorRequestSchema, {
    fileToGenerate: file.map((f) => f.name).filter((name) => (selected === undefined ? existsSync(join(root, name)) : selected.has(name))),
    parameter: options.parameter ?? "",
    protoFile: file,
  });
}
