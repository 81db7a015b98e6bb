#!/usr/bin/env node
// `npm run check:packages`: packs the three public packages into a temp folder outside the repository, checks
// each tarball (publint, @arethetypeswrong/cli, LICENSE and README, every source map's sources shipped), then
// installs the tarballs into fresh projects outside the repository (ES modules; CommonJS) with the peers from
// the registry, and in each generates code from a .proto, type-checks it under every TypeScript
// moduleResolution and runs a real unary call over 127.0.0.1. Exits non-zero on any problem.
//
// Options: --protobuf <version> and --grpc-js <version> install those peers in the projects (default: the
// repository's own), to check the ends of the runtime's peer ranges; --keep leaves the temp folder.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const rootManifest = readJson(join(repoRoot, "package.json"));
const { values: options } = parseArgs({
  options: {
    protobuf: { type: "string", default: rootManifest.devDependencies["@bufbuild/protobuf"] },
    "grpc-js": { type: "string", default: rootManifest.devDependencies["@grpc/grpc-js"] },
    keep: { type: "boolean", default: false },
  },
});
const publicPackages = ["packages/runtime", "packages/protoc-gen-stubwright", "packages/cli"];
const bin = (name) => join(repoRoot, "node_modules/.bin", name);
const started = performance.now();
const problems = [];
const work = mkdtempSync(join(tmpdir(), "stubwright-packages-"));

try {
  const tarballs = pack(join(work, "packs"));
  for (const [name, tarball] of Object.entries(tarballs)) checkTarball(name, tarball, join(work, "unpacked", name.replace("/", "+")));
  if (problems.length === 0) {
    esmProject(join(work, "esm"), tarballs);
    commonjsProject(join(work, "commonjs"), tarballs);
  }
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  if (options.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (problems.length > 0) {
  process.stderr.write(`\ncheck:packages: ${problems.length} problem(s) in ${seconds} s:\n${problems.map((p) => `- ${p}`).join("\n")}\n`);
  process.exit(1);
}
log(`check:packages: all packages fine (@bufbuild/protobuf ${options.protobuf}, @grpc/grpc-js ${options["grpc-js"]}) in ${seconds} s`);

/** Packs the public packages (their prepack builds them) and returns tarball paths by package name. */
function pack(destination) {
  mkdirSync(destination, { recursive: true });
  const workspaces = publicPackages.flatMap((dir) => ["-w", dir]);
  const output = run("npm", ["pack", "--json", "--pack-destination", destination, ...workspaces], repoRoot);
  return Object.fromEntries(JSON.parse(output).map((entry) => [entry.name, join(destination, entry.filename)]));
}

/** publint and attw on the tarball, then what they do not check: LICENSE, README, source maps' sources. */
function checkTarball(name, tarball, unpacked) {
  log(`checking ${name}`);
  expectSuccess(`publint ${name}`, bin("publint"), ["run", "--strict", tarball]);
  expectSuccess(`attw ${name}`, bin("attw"), ["--format", "ascii", tarball]);
  mkdirSync(unpacked, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", unpacked], repoRoot);
  const root = join(unpacked, "package");
  if (!existsSync(join(root, "README.md"))) problems.push(`${name}: no README.md`);
  const license = join(root, "LICENSE");
  if (!existsSync(license) || readFileSync(license, "utf8") !== readFileSync(join(repoRoot, "LICENSE"), "utf8")) {
    problems.push(`${name}: LICENSE missing or not the repository's`);
  }
  for (const file of listFiles(root)) {
    if (file.endsWith(".tsbuildinfo")) problems.push(`${name}: ships ${relative(root, file)}`);
    if (!file.endsWith(".map")) continue;
    for (const source of readJson(file).sources) {
      if (!existsSync(resolve(dirname(file), source))) problems.push(`${name}: ${relative(root, file)} names ${source}, which is not shipped`);
    }
  }
}

/** A fresh ES module project: nodenext, plus a bundler-resolution type-check; runs the runtime README's example. */
function esmProject(dir, tarballs) {
  createProject(dir, "module", tarballs);
  writeJson(join(dir, "tsconfig.json"), tsconfig({ module: "nodenext", moduleResolution: "nodenext", outDir: "dist" }));
  writeJson(join(dir, "tsconfig.bundler.json"), tsconfig({ module: "esnext", moduleResolution: "bundler", noEmit: true }));
  writeFileSync(join(dir, "src/main.ts"), readmeExample());
  typecheckAndRun(dir, ["tsconfig.json", "tsconfig.bundler.json"]);
}

/** A CommonJS project ("type" absent): node10 resolution (module commonjs) and node16; runs a call. */
function commonjsProject(dir, tarballs) {
  createProject(dir, undefined, tarballs);
  writeJson(join(dir, "tsconfig.json"), tsconfig({ module: "commonjs", moduleResolution: "node10", esModuleInterop: true, outDir: "dist" }));
  writeJson(join(dir, "tsconfig.node16.json"), tsconfig({ module: "node16", moduleResolution: "node16", noEmit: true }));
  writeFileSync(
    join(dir, "src/main.ts"),
    `import { closeClient, createServer } from "@stubwright/runtime";
import { GreeterDefinition, createGreeterClient } from "./gen/greeter/v1/greeter_grpc.js";

async function main(): Promise<void> {
  const server = createServer().add(GreeterDefinition, {
    sayHello: async (request) => ({ message: \`Hello, \${request.name}!\` }),
  });
  const port = await server.listen("127.0.0.1:0");
  const client = createGreeterClient(\`127.0.0.1:\${port}\`, { defaultTimeoutMs: 30_000 });
  console.log((await client.sayHello({ name: "world" })).message);
  closeClient(client);
  await server.shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`,
  );
  typecheckAndRun(dir, ["tsconfig.json", "tsconfig.node16.json"]);
}

/** package.json, a .proto, `npm install` of the tarballs and the peers, `stubwright generate`. */
function createProject(dir, type, tarballs) {
  log(`project ${relative(work, dir)}: installing`);
  mkdirSync(join(dir, "proto/greeter/v1"), { recursive: true });
  mkdirSync(join(dir, "src"), { recursive: true });
  writeJson(join(dir, "package.json"), {
    name: `stubwright-consumer-${relative(work, dir)}`,
    private: true,
    ...(type === undefined ? {} : { type }),
    dependencies: {
      "@stubwright/runtime": `file:${tarballs["@stubwright/runtime"]}`,
      "@bufbuild/protobuf": options.protobuf,
      "@grpc/grpc-js": options["grpc-js"],
    },
    devDependencies: {
      stubwright: `file:${tarballs.stubwright}`,
      "@stubwright/protoc-gen-stubwright": `file:${tarballs["@stubwright/protoc-gen-stubwright"]}`,
      typescript: rootManifest.devDependencies.typescript,
      "@types/node": rootManifest.devDependencies["@types/node"],
    },
  });
  writeFileSync(
    join(dir, "proto/greeter/v1/greeter.proto"),
    `syntax = "proto3";

package greeter.v1;

service Greeter {
  rpc SayHello(HelloRequest) returns (HelloReply);
}

message HelloRequest {
  string name = 1;
}

message HelloReply {
  string message = 1;
}
`,
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], dir);
  run("npx", ["--no-install", "stubwright", "generate", "proto", "--out", "src/gen"], dir);
}

/** Type-checks with each tsconfig (the first emits to dist/), runs dist/main.js and checks its answer. */
function typecheckAndRun(dir, tsconfigs) {
  for (const config of tsconfigs) {
    log(`project ${relative(work, dir)}: tsc -p ${config}`);
    expectSuccess(`${relative(work, dir)}: tsc -p ${config}`, "npx", ["--no-install", "tsc", "-p", config], dir);
  }
  if (problems.length > 0) return;
  const result = spawnSync(process.execPath, ["dist/main.js"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (result.stdout.trim() !== "Hello, world!" || result.status !== 0) {
    problems.push(`${relative(work, dir)}: node dist/main.js exited ${result.status}: ${result.stdout}${result.stderr}`);
  } else {
    log(`project ${relative(work, dir)}: unary call over 127.0.0.1 answered "${result.stdout.trim()}"`);
  }
}

/** Strict compiler options that include src/ and check declarations of dependencies too. */
function tsconfig(compilerOptions) {
  return {
    compilerOptions: { target: "es2022", lib: ["es2023"], types: ["node"], strict: true, skipLibCheck: false, rootDir: "src", ...compilerOptions },
    include: ["src"],
  };
}

/** The first TypeScript example of the runtime's README, which the ES module project runs as it is. */
function readmeExample() {
  const readme = readFileSync(join(repoRoot, "packages/runtime/README.md"), "utf8");
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error("packages/runtime/README.md has no ```ts example");
  return example;
}

function expectSuccess(what, command, args, cwd = repoRoot) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) problems.push(`${what} failed:\n${result.stdout}${result.stderr}`);
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function log(line) {
  process.stdout.write(`${line}\n`);
}
