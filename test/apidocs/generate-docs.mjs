import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { repoRoot, tools } from "../support/generate-code.mjs";

/** The docs plugin's executable, as the package's bin installs it. */
export const docsPlugin = join(repoRoot, "packages/protoc-gen-stubwright/bin/protoc-gen-stubwright-docs");

/**
 * Runs `buf generate` on `input` with protoc-gen-stubwright-docs into `out`
 * (both absolute or relative to the repo root), in one plugin run
 * (`strategy: all`). `paths` limits the files to generate (`--path`).
 *
 * @param {string} input
 * @param {string} out
 * @param {readonly string[]} [options]
 * @param {readonly string[]} [paths]
 */
export function bufDocs(input, out, options = [], paths = []) {
  const template = { version: "v2", plugins: [{ local: docsPlugin, out: resolve(repoRoot, out), opt: [...options], strategy: "all" }] };
  // From inside the input, so that buf reads `--path` relative to it.
  execFileSync(tools.buf, ["generate", ".", "--template", JSON.stringify(template), ...paths.flatMap((path) => ["--path", path])], {
    cwd: resolve(repoRoot, input),
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 120_000,
  });
}

/**
 * Runs protoc on every .proto under `root` with protoc-gen-stubwright-docs
 * into `out`; `include` is the directory holding google/protobuf/*.proto.
 *
 * @param {string} protoc
 * @param {string | undefined} include
 * @param {string} root
 * @param {string} out
 * @param {readonly string[]} [options]
 */
export function protocDocs(protoc, include, root, out, options = []) {
  const protos = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".proto"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
  mkdirSync(out, { recursive: true });
  execFileSync(
    protoc,
    [
      "-I",
      ".",
      ...(include === undefined ? [] : ["-I", include]),
      `--plugin=protoc-gen-stubwright-docs=${docsPlugin}`,
      `--stubwright-docs_out=${out}`,
      ...(options.length === 0 ? [] : [`--stubwright-docs_opt=${options.join(",")}`]),
      ...protos,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
  );
}
