// Generates every stack's code from the one bench .proto (proto/bench.proto)
// into src/gen/ (not committed), with tools from node_modules only:
//   es/        protoc-gen-es + protoc-gen-stubwright (Stubwright, and the baseline's messages)
//   ts-proto/  ts-proto, outputServices=grpc-js
//   nice/      ts-proto, outputServices=nice-grpc + generic-definitions
//   pbjs/      protobufjs static code (codec micro-benchmark)
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(root, "../..");
const gen = join(root, "src/gen");
const buf = require.resolve("@bufbuild/buf/bin/buf");
const tsProto = join(dirname(require.resolve("ts-proto/package.json")), "protoc-gen-ts_proto");
const pbjsMain = join(dirname(require.resolve("protobufjs-cli/package.json")), "bin/pbjs");
const pbtsMain = join(dirname(require.resolve("protobufjs-cli/package.json")), "bin/pbts");

rmSync(gen, { recursive: true, force: true });
mkdirSync(join(gen, "pbjs"), { recursive: true });

const plugin = (local, out, opt) => ({ local, out: join(gen, out), opt, strategy: "all" });
const template = {
  version: "v2",
  plugins: [
    plugin(require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es"), "es", ["target=ts", "import_extension=js"]),
    plugin(join(repo, "packages/protoc-gen-stubwright/bin/protoc-gen-stubwright"), "es", ["target=ts", "import_extension=js"]),
    plugin(tsProto, "ts-proto", ["outputServices=grpc-js", "esModuleInterop=true", "importSuffix=.js", "forceLong=bigint", "env=node"]),
    plugin(tsProto, "nice", [
      "outputServices=nice-grpc",
      "outputServices=generic-definitions",
      "useExactTypes=false",
      "importSuffix=.js",
      "forceLong=bigint",
      "env=node",
    ]),
  ],
};
execFileSync(buf, ["generate", join(root, "proto"), "--template", JSON.stringify(template)], { cwd: root, stdio: "inherit" });

const pbjsOut = join(gen, "pbjs/bench.js");
execFileSync(
  process.execPath,
  [
    pbjsMain,
    "-t",
    "static-module",
    "-w",
    "es6",
    "--force-long",
    "--no-verify",
    "--no-delimited",
    "--no-convert",
    "--no-beautify",
    "-p",
    join(root, "proto"),
    "-o",
    pbjsOut,
    join(root, "proto/bench.proto"),
  ],
  { stdio: "inherit" },
);
execFileSync(process.execPath, [pbtsMain, "-o", join(gen, "pbjs/bench.d.ts"), pbjsOut], { stdio: "inherit" });
