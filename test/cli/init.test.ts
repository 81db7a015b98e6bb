import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { createScratch, oneLineError, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/** `stubwright init` in new and existing projects: what it writes, merges, skips and says. */

const { project } = createScratch("init");

const initFiles = [
  ".gitignore",
  "buf.gen.yaml",
  "buf.yaml",
  "package.json",
  "proto/greeter/v1/greeter.proto",
  "src/client.ts",
  "src/server.ts",
  "tsconfig.json",
];

const nextSteps = [
  "Next steps:",
  "  npm install",
  "  npm run generate",
  "  npm run build",
  "  npm start",
  "Then, in a second terminal, while the server runs:",
  "  npm run client",
  "",
].join("\n");

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
const manifestOf = (dir: string): Record<string, Record<string, string>> & { version: string } =>
  readJson(join(repoRoot, dir, "package.json")) as Record<string, Record<string, string>> & { version: string };

/** Every file's content and modification time, to prove a run changed nothing. */
function fileStates(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((path) => [path, `${statSync(join(dir, path)).mtimeMs} ${readFileSync(join(dir, path), "utf8")}`]));
}

describe("stubwright init in an empty folder", () => {
  it("writes exactly the project's files, says so, and prints the next steps", () => {
    const dir = project();
    const result = stubwright(dir, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(listFiles(dir)).toEqual(initFiles);
    const created = [
      "package.json",
      "tsconfig.json",
      ".gitignore",
      "buf.yaml",
      "buf.gen.yaml",
      "proto/greeter/v1/greeter.proto",
      "src/server.ts",
      "src/client.ts",
    ];
    expect(result.stdout).toBe(`${created.map((path) => `created ${path}\n`).join("")}\n${nextSteps}`);
  });

  it("writes an ESM package.json with the scripts, and the ranges the packages declare", () => {
    const dir = project();
    expect(stubwright(dir, ["init"]).status).toBe(0);
    const pkg = readJson(join(dir, "package.json"));
    const runtime = manifestOf("packages/runtime");
    const cli = manifestOf("packages/cli");
    const root = manifestOf(".");
    expect(pkg.name).toBe(dir.split("/").pop());
    expect(pkg.type).toBe("module");
    expect(pkg.scripts).toEqual({
      generate: "stubwright generate",
      build: "tsc",
      start: "node dist/server.js",
      client: "node dist/client.js",
      lint: "stubwright lint",
      breaking: "stubwright breaking --against main",
    });
    // Everything the runtime needs beside it, with the ranges it declares (the optional peer only where used).
    const requiredPeers = Object.keys(runtime.peerDependencies!).filter((name) => runtime.peerDependenciesMeta?.[name] === undefined);
    expect(pkg.dependencies).toEqual({
      "@stubwright/runtime": `^${runtime.version}`,
      ...Object.fromEntries(requiredPeers.map((name) => [name, runtime.peerDependencies![name]])),
    });
    const plugin = Object.keys(cli.dependencies!).find((name) => name.endsWith("protoc-gen-stubwright"))!;
    expect(pkg.devDependencies).toEqual({
      stubwright: `^${cli.version}`,
      [plugin]: cli.dependencies![plugin],
      "@bufbuild/protoc-gen-es": cli.dependencies!["@bufbuild/protoc-gen-es"],
      "@bufbuild/buf": cli.dependencies!["@bufbuild/buf"],
      typescript: `^${root.devDependencies!.typescript}`,
      "@types/node": `^${root.devDependencies!["@types/node"]}`,
    });
  });

  it("writes a strict nodenext tsconfig.json and a buf.gen.yaml with both plugins, clean, into src/gen", () => {
    const dir = project();
    expect(stubwright(dir, ["init"]).status).toBe(0);
    expect(readJson(join(dir, "tsconfig.json"))).toEqual({
      compilerOptions: expect.objectContaining({ strict: true, module: "nodenext", moduleResolution: "nodenext", outDir: "dist", rootDir: "src" }),
      include: ["src"],
    });
    expect(readFileSync(join(dir, "buf.yaml"), "utf8")).toMatch(/^version: v2\nmodules:\n {2}- path: proto$/m);
    const gen = readFileSync(join(dir, "buf.gen.yaml"), "utf8");
    expect(gen).toMatch(/^inputs:\n {2}- directory: proto\nclean: true\n/m);
    for (const plugin of ["protoc-gen-es", "protoc-gen-stubwright"]) {
      expect(gen).toContain(`  - local: ${plugin}\n    out: src/gen\n    opt:\n      - target=ts\n      - import_extension=js\n    strategy: all\n`);
    }
  });

  it("run again without --force, changes nothing and says so", () => {
    const dir = project();
    expect(stubwright(dir, ["init"]).status).toBe(0);
    const before = fileStates(dir);
    const result = stubwright(dir, ["init"]);
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n").filter((line) => line.startsWith("unchanged "))).toHaveLength(initFiles.length);
    expect(result.stdout).toContain("Nothing changed: the project is already set up.\n");
    expect(result.stdout.endsWith(nextSteps)).toBe(true);
    expect(fileStates(dir)).toEqual(before);
  });
});

describe("stubwright init in an existing project", () => {
  const existingPackage = `${JSON.stringify(
    {
      name: "legacy-app",
      version: "1.2.3",
      scripts: { build: "webpack", test: "mocha" },
      dependencies: { "@grpc/grpc-js": "1.10.0" },
      devDependencies: { typescript: "5.8.2" },
    },
    null,
    4,
  )}\n`;

  it("adds only the missing scripts and dependencies to package.json, keeping CommonJS and every value", () => {
    const dir = project({ "package.json": existingPackage });
    const result = stubwright(dir, ["init"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const text = readFileSync(join(dir, "package.json"), "utf8");
    expect(text).toMatch(/^ {4}"name": "legacy-app",$/m);
    const pkg = JSON.parse(text) as Record<string, Record<string, string> | string>;
    expect(pkg.type).toBeUndefined();
    expect(pkg.scripts).toEqual({
      build: "webpack",
      test: "mocha",
      generate: "stubwright generate",
      start: "node dist/server.js",
      client: "node dist/client.js",
      lint: "stubwright lint",
      breaking: "stubwright breaking --against main",
    });
    expect(pkg.dependencies).toMatchObject({ "@grpc/grpc-js": "1.10.0", "@stubwright/runtime": expect.any(String), "@bufbuild/protobuf": expect.any(String) });
    expect(pkg.devDependencies).toMatchObject({ typescript: "5.8.2", stubwright: expect.any(String) });
    expect(result.stdout).toMatch(
      /^updated package\.json: added scripts\.generate, scripts\.start, scripts\.client, scripts\.lint, scripts\.breaking, dependencies\.@stubwright\/runtime, /m,
    );
    expect(result.stdout).not.toMatch(/added[^\n]*(grpc-js|typescript)/);
    expect(result.stdout).toContain(`kept package.json's script "build": "webpack" (init's would be "tsc")\n`);
    expect(result.stdout).toContain('package.json has no "type": "module", so the project stays CommonJS');
    // The build script is the project's own, so the next steps compile with tsc directly.
    expect(result.stdout).toContain("Next steps:\n  npm install\n  npm run generate\n  npx tsc\n  npm start\n");
  });

  it("never overwrites a file without --force, and says which it skipped", () => {
    const dir = project({ "tsconfig.json": '{ "compilerOptions": { "module": "commonjs" } }\n', "src/server.ts": "// mine\n" });
    const result = stubwright(dir, ["init"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("skipped tsconfig.json: it exists and differs from init's (--force overwrites it)\n");
    expect(result.stdout).toContain("skipped src/server.ts: it exists and differs from init's (--force overwrites it)\n");
    expect(result.stdout).toContain('Your tsconfig.json should set "module" and "moduleResolution" to "nodenext"');
    expect(result.stdout).toContain("created src/client.ts\n");
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe('{ "compilerOptions": { "module": "commonjs" } }\n');
    expect(readFileSync(join(dir, "src/server.ts"), "utf8")).toBe("// mine\n");

    const again = stubwright(dir, ["init"]);
    expect(again.stdout).toContain("Nothing changed.\n");

    const forced = stubwright(dir, ["init", "--force"]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain("overwrote tsconfig.json (--force)\n");
    expect(forced.stdout).toContain("overwrote src/server.ts (--force)\n");
    expect(readFileSync(join(dir, "src/server.ts"), "utf8")).toContain("createServer");
  });

  it("--force still only adds to package.json", () => {
    const dir = project({ "package.json": existingPackage });
    expect(stubwright(dir, ["init", "--force"]).status).toBe(0);
    const pkg = readJson(join(dir, "package.json")) as Record<string, Record<string, string>>;
    expect(pkg.scripts!.build).toBe("webpack");
    expect(pkg.dependencies!["@grpc/grpc-js"]).toBe("1.10.0");
  });

  it("refuses a package.json it cannot read, and then writes nothing", () => {
    const dir = project({ "package.json": "{ not json\n" });
    expect(oneLineError(stubwright(dir, ["init"]))).toMatch(/^package\.json is not valid JSON \(.+\); fix it and run init again$/);
    expect(listFiles(dir)).toEqual(["package.json"]);
  });

  it("keeps an ESM package.json ESM and adds nothing it already has", () => {
    const dir = project();
    expect(stubwright(dir, ["init"]).status).toBe(0);
    const pkg = readJson(join(dir, "package.json"));
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ ...pkg, scripts: { ...(pkg.scripts as object), lint: "biome check" } }, null, 2)}\n`);
    const result = stubwright(dir, ["init"]);
    expect(result.stdout).toContain("unchanged package.json\n");
    expect(result.stdout).toContain('kept package.json\'s script "lint": "biome check" (init\'s would be "stubwright lint")\n');
    expect(result.stdout).not.toContain("CommonJS");
  });
});
