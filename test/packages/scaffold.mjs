// Project scaffolding for the consumer-project test: a fresh folder outside the repository whose package.json
// installs the packed tarballs (our packages are not on the registry when this runs) and everything else from
// the registry.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";
import { readJson, run, writeJson } from "./shell.mjs";

const rootManifest = readJson(join(repoRoot, "package.json"));
const runtimePeers = readJson(join(repoRoot, "packages/runtime/package.json")).peerDependencies;

/**
 * The peers a project installs: `newest` is the runtime's ranges as they are (npm picks the newest match),
 * `lowest` the lowest version of each range.
 */
function peerVersions(end) {
  const peers = ["@bufbuild/protobuf", "@grpc/grpc-js"];
  return Object.fromEntries(peers.map((name) => [name, end === "lowest" ? runtimePeers[name].replace(/^\^/, "") : runtimePeers[name]]));
}

/** Dependencies on the tarballs: the CLI needs the plugin's tarball beside it, as its version is not published. */
export function tarballDependencies(tarballs) {
  return {
    dependencies: { "@stubwright/runtime": `file:${tarballs["@stubwright/runtime"]}` },
    devDependencies: {
      stubwright: `file:${tarballs.stubwright}`,
      "@stubwright/protoc-gen-stubwright": `file:${tarballs["@stubwright/protoc-gen-stubwright"]}`,
    },
  };
}

/**
 * Writes `files` (path → content) and a package.json into `dir`, then installs: the tarballs, the peers at
 * `peers` end of their ranges, the repository's TypeScript and @types/node, and the repository's version of each
 * tool named in `tools`.
 */
export function createProject(dir, { type, peers, tarballs, files, tools = [] }) {
  const { dependencies, devDependencies } = tarballDependencies(tarballs);
  mkdirSync(dir, { recursive: true });
  writeJson(join(dir, "package.json"), {
    name: `stubwright-consumer-${dir.split("/").at(-1)}`,
    version: "1.0.0",
    private: true,
    ...(type === undefined ? {} : { type }),
    dependencies: { ...dependencies, ...peerVersions(peers) },
    devDependencies: {
      ...devDependencies,
      typescript: rootManifest.devDependencies.typescript,
      "@types/node": rootManifest.devDependencies["@types/node"],
      ...Object.fromEntries(tools.map((tool) => [tool, rootManifest.devDependencies[tool]])),
    },
  });
  writeFiles(dir, files);
  npmInstall(dir);
}

/** `npm install`, revalidating the registry's metadata so that ranges resolve to the newest match. */
function npmInstall(dir) {
  run("npm", ["install", "--no-audit", "--no-fund"], dir);
}

/** Writes each file of `files` (relative path → content), creating folders. */
function writeFiles(dir, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}

/** The versions of the peers npm installed in `dir`, e.g. `@bufbuild/protobuf 2.13.0, @grpc/grpc-js 1.13.0`. */
export function installedPeers(dir) {
  return ["@bufbuild/protobuf", "@grpc/grpc-js"].map((name) => `${name} ${readJson(join(dir, "node_modules", name, "package.json")).version}`).join(", ");
}

/** Strict compiler options over src/, checking the declarations of dependencies too. */
export function strictTsconfig(compilerOptions) {
  return {
    compilerOptions: { target: "es2022", lib: ["es2023"], types: ["node"], strict: true, skipLibCheck: false, rootDir: "src", ...compilerOptions },
    include: ["src"],
  };
}
