import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Absolute paths of buf and both plugins, as installed in the workspace. */
export const tools = {
  buf: require.resolve("@bufbuild/buf/bin/buf"),
  protocGenEs: require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es"),
  protocGenStubwright: join(repoRoot, "packages/protoc-gen-stubwright/bin/protoc-gen-stubwright"),
};

/**
 * The proto roots whose output is committed as goldens. Editions fixtures
 * have a root of their own: protoc 3.21 cannot read them. The REST fixtures
 * have one too, with the google/api protos they import.
 */
const goldenInputs = ["protos", "test/fixtures/protos", "test/fixtures/editions", "test/fixtures/rest"];

/** The golden variants: a directory name and the options both plugins get. */
export const goldenVariants = [
  { name: "ts", options: ["target=ts", "import_extension=js"] },
  { name: "js-dts", options: ["target=js+dts", "import_extension=js"] },
];

/**
 * Runs `buf generate` on `input` (a directory relative to the repo root)
 * with protoc-gen-es and protoc-gen-stubwright into `out`.
 *
 * @param {string} input
 * @param {string} out
 * @param {readonly string[]} options
 */
export function bufGenerate(input, out, options) {
  const plugin = (/** @type {string} */ local) => ({ local, out, opt: [...options], strategy: "all" });
  const template = { version: "v2", plugins: [plugin(tools.protocGenEs), plugin(tools.protocGenStubwright)] };
  execFileSync(tools.buf, ["generate", input, "--template", JSON.stringify(template)], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Generates every golden variant of every golden input under `outRoot/<variant>`.
 *
 * @param {string} outRoot
 */
export function generateGoldens(outRoot) {
  for (const variant of goldenVariants) {
    for (const input of goldenInputs) {
      bufGenerate(input, join(outRoot, variant.name), variant.options);
    }
  }
}
