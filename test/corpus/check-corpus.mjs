// The generator corpus check (part of `npm test`; alone: `npm run test:corpus`):
// generates every file of every root in shared/protos/corpus with
// protoc-gen-es and protoc-gen-stubwright, for target=ts and target=js+dts,
// type-checks all output as one program under the strictest settings
// (isolatedDeclarations included), and
// loads every generated .js in Node, checking each service definition
// against the descriptors protoc-gen-es emitted. Exits non-zero on any failure.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { promisify } from "node:util";
import { checkLoadedFiles } from "./check-loaded.mjs";
import { findCorpus, listFiles } from "./corpus-files.mjs";
import { repoRoot, tools } from "../support/generate-code.mjs";

const run = promisify(execFile);
const started = performance.now();
const corpus = locateCorpus();
const outRoot = join(repoRoot, ".stubwright-tmp/corpus");
const variants = [
  { name: "ts", options: ["target=ts", "import_extension=js"] },
  { name: "js-dts", options: ["target=js+dts", "import_extension=js"] },
];
const roots = readdirSync(corpus, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const failures = [];
// `--reuse` checks the output of the previous run again (for working on the checks).
if (!process.argv.includes("--reuse")) {
  rmSync(outRoot, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });
  // Generated .js is ESM, like the output of `stubwright generate`.
  writeFileSync(join(outRoot, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  await generateAll();
}
const protoCount = roots.reduce((n, root) => n + listFiles(join(corpus, root), ".proto").length, 0);
checkEveryFileGenerated();
const generated = listFiles(outRoot, ".ts").length + listFiles(outRoot, ".js").length;
console.log(`generated ${generated} files from ${protoCount} protos in ${roots.length} roots (${seconds()} s)`);

if (failures.length === 0) {
  const consumers = writeConsumers();
  console.log(`wrote ${consumers} consumer files that serve and call every service`);
  await typeCheck();
  console.log(`type-checked ts and js+dts output (${seconds()} s)`);
}
if (failures.length === 0) {
  const { modules, services } = await checkLoadedFiles(join(outRoot, "js-dts"));
  console.log(`loaded ${modules} .js modules in Node, checked ${services} service definitions (${seconds()} s)`);
}

if (failures.length > 0) {
  console.error(failures.join("\n\n"));
  console.error(`\ncorpus check FAILED (${failures.length} failure(s))`);
  process.exit(1);
}
console.log(`corpus check passed: 100% of ${roots.length} roots, both targets (${seconds()} s)`);

/**
 * The corpus directory. Without one (a clone with no shared/ beside it) the
 * check is skipped with a note, except in CI, where it must run.
 */
function locateCorpus() {
  try {
    return findCorpus();
  } catch (error) {
    if (process.env.CI) {
      throw error;
    }
    console.log(`corpus check skipped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(0);
  }
}

/** One `buf generate` per root, both variants in one template, two roots at a time. */
async function generateAll() {
  const queue = [...roots];
  const worker = async () => {
    for (let root = queue.shift(); root !== undefined; root = queue.shift()) {
      const plugins = variants.flatMap((variant) =>
        [tools.protocGenEs, tools.protocGenStubwright].map((local) => ({
          local,
          out: join(outRoot, variant.name, root),
          opt: variant.options,
          strategy: "all",
        })),
      );
      const template = JSON.stringify({ version: "v2", plugins });
      try {
        await run(tools.buf, ["generate", join(corpus, root), "--template", template], { cwd: repoRoot });
      } catch (error) {
        failures.push(`buf generate ${root} failed:\n${error.stderr || error.message}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
}

/** Every proto of every root has its protoc-gen-es output in both variants. */
function checkEveryFileGenerated() {
  for (const root of roots) {
    for (const proto of listFiles(join(corpus, root), ".proto")) {
      const base = relative(join(corpus, root), proto).replace(/\.proto$/, "");
      for (const expected of [`ts/${root}/${base}_pb.ts`, `js-dts/${root}/${base}_pb.js`, `js-dts/${root}/${base}_pb.d.ts`]) {
        if (!existsSync(join(outRoot, expected))) {
          failures.push(`${expected} was not generated`);
        }
      }
    }
  }
}

/**
 * Next to every generated _grpc file, a file that uses each service as an
 * application would: the handlers interface must be accepted by
 * `createServer().add(definition, ...)`, in full and in part, and the
 * factory must return the client interface. Returns how many were written.
 */
function writeConsumers() {
  let count = 0;
  for (const [variant, suffix] of [
    ["ts", "_grpc.ts"],
    ["js-dts", "_grpc.d.ts"],
  ]) {
    for (const file of listFiles(join(outRoot, variant), suffix)) {
      const source = readFileSync(file, "utf8");
      const exported = [...source.matchAll(/^export (?:declare )?(?:const|interface|function) ([\w$]+)/gm)].map((m) => m[1]);
      const lines = ['import { createServer } from "@stubwright/runtime";', `import * as g from "./${basename(file, suffix)}_grpc.js";`, ""];
      // Per service the plugin exports, in this order: definition, client, handlers, factory.
      for (let i = 0; i + 3 < exported.length; i += 4) {
        const [definition, client, handlers, factory] = exported.slice(i, i + 4);
        lines.push(
          `export function serve${i}(handlers: g.${handlers}, partial: Partial<g.${handlers}>): void {`,
          `  createServer().add(g.${definition}, handlers);`,
          `  createServer().add(g.${definition}, partial);`,
          "}",
          `export const client${i}: g.${client} = g.${factory}("127.0.0.1:1");`,
          "",
        );
      }
      if (exported.length % 4 !== 0 || exported.length === 0) {
        failures.push(`${relative(outRoot, file)}: unexpected exports ${exported.join(", ")}`);
      }
      writeFileSync(file.replace(/_grpc\.(d\.)?ts$/, "_grpc_consumer.ts"), lines.join("\n"));
      count++;
    }
  }
  return count;
}

/** One tsc program over all ts output and all declaration files. */
async function typeCheck() {
  const tsconfig = join(outRoot, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        compilerOptions: {
          target: "es2022",
          lib: ["es2023"],
          module: "nodenext",
          moduleResolution: "nodenext",
          types: ["node"],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          verbatimModuleSyntax: true,
          isolatedModules: true,
          // Generated exports carry their types, so declarations can be emitted file by file.
          isolatedDeclarations: true,
          declaration: true,
          skipLibCheck: false,
          noEmit: true,
        },
        include: ["ts/**/*.ts", "js-dts/**/*.d.ts", "js-dts/**/*_consumer.ts"],
      },
      null,
      2,
    ),
  );
  const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
  try {
    await run(process.execPath, [tsc, "-p", tsconfig, "--pretty", "false"], { cwd: repoRoot, maxBuffer: 64 << 20 });
  } catch (error) {
    failures.push(`tsc reported errors:\n${error.stdout || error.message}`);
  }
}

function seconds() {
  return ((performance.now() - started) / 1000).toFixed(1);
}
