import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * `stubwright` as users run it: the bin in a fresh directory, outside the
 * repository, with buf and the plugins coming from the CLI's dependencies.
 */

const cli = join(repoRoot, "packages/cli/bin/stubwright.js");
const scratch = mkdtempSync(join(tmpdir(), "stubwright-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const shopProto = `syntax = "proto3";
package shop.v1;

message Item { string sku = 1; }

service Shop {
  rpc GetItem(Item) returns (Item);
  rpc Watch(Item) returns (stream Item);
}
`;

let projects = 0;
/** A new empty project directory with the given files. */
function project(files: Readonly<Record<string, string>> = {}): string {
  const dir = join(scratch, `project-${++projects}`);
  mkdirSync(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function stubwright(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", timeout: programTimeoutMs });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts a failure printed exactly one line, `stubwright: <message>`, and returns the message. */
function oneLineError(result: ReturnType<typeof stubwright>): string {
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^stubwright: [^\n]+\n$/);
  return result.stderr.slice("stubwright: ".length, -1);
}

describe("stubwright init", () => {
  it("writes buf.yaml and buf.gen.yaml wired to both plugins, and protos/", () => {
    const dir = project();
    const result = stubwright(dir, "init");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/wrote buf\.yaml and buf\.gen\.yaml/);
    expect(readFileSync(join(dir, "buf.yaml"), "utf8")).toMatch(/^version: v2\nmodules:\n {2}- path: protos$/m);
    const gen = readFileSync(join(dir, "buf.gen.yaml"), "utf8");
    expect(gen).toMatch(/- local: protoc-gen-es\n {4}out: gen\n {4}opt:\n {6}- target=ts\n {6}- import_extension=js\n/);
    expect(gen).toMatch(/- local: protoc-gen-stubwright\n {4}out: gen\n {4}opt:\n {6}- target=ts\n {6}- import_extension=js\n/);
    expect(existsSync(join(dir, "protos"))).toBe(true);
  });

  it("refuses to overwrite without --force, and then writes nothing", () => {
    const dir = project({ "buf.gen.yaml": "# mine\n" });
    expect(oneLineError(stubwright(dir, "init"))).toBe("buf.gen.yaml already exists; run with --force to overwrite");
    expect(readFileSync(join(dir, "buf.gen.yaml"), "utf8")).toBe("# mine\n");
    expect(existsSync(join(dir, "buf.yaml"))).toBe(false);

    writeFileSync(join(dir, "buf.yaml"), "# mine too\n");
    expect(oneLineError(stubwright(dir, "init"))).toBe("buf.yaml and buf.gen.yaml already exist; run with --force to overwrite");
  });

  it("overwrites with --force", () => {
    const dir = project({ "buf.yaml": "# mine\n", "buf.gen.yaml": "# mine\n" });
    expect(stubwright(dir, "init", "--force").status).toBe(0);
    expect(readFileSync(join(dir, "buf.gen.yaml"), "utf8")).toMatch(/protoc-gen-stubwright/);
  });

  it("writes a buf.gen.yaml that `generate` then uses", () => {
    const dir = project();
    expect(stubwright(dir, "init").status).toBe(0);
    writeFileSync(join(dir, "protos/shop.proto"), shopProto);
    const result = stubwright(dir, "generate");
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("generated with buf.gen.yaml\n");
    expect(result.status).toBe(0);
    expect(listFiles(join(dir, "gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
  });
});

describe("stubwright generate without a buf config", () => {
  it("generates protos/ into gen/ with target=ts and import_extension=js", () => {
    const dir = project({ "protos/shop/v1/shop.proto": shopProto });
    const result = stubwright(dir, "generate");
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("generated 1 .proto file(s) from protos/ into gen/\n");
    expect(result.status).toBe(0);
    expect(listFiles(join(dir, "gen"))).toEqual(["shop/v1/shop_grpc.ts", "shop/v1/shop_pb.ts"]);
    const stubs = readFileSync(join(dir, "gen/shop/v1/shop_grpc.ts"), "utf8");
    expect(stubs).toContain('with parameter "target=ts,import_extension=js"');
    expect(stubs).toContain('import { ItemSchema } from "./shop_pb.js";');
    expect(stubs).toContain("export function createShopClient(");
  });

  it("takes the directory, --out and --target from the command line", () => {
    const dir = project({ "api/shop.proto": shopProto });
    expect(stubwright(dir, "generate", "api", "--out", "lib/gen", "--target", "js+dts").status).toBe(0);
    expect(listFiles(join(dir, "lib/gen"))).toEqual(["shop_grpc.d.ts", "shop_grpc.js", "shop_pb.d.ts", "shop_pb.js"]);
  });

  it("replaces stale generated code, but never deletes other files in the output directory", () => {
    const dir = project({ "protos/shop.proto": shopProto, "src/main.ts": "keep me\n" });
    expect(stubwright(dir, "generate").status).toBe(0);
    rmSync(join(dir, "protos/shop.proto"));
    writeFileSync(join(dir, "protos/store.proto"), shopProto.replace("shop.v1", "store.v1"));
    expect(stubwright(dir, "generate").status).toBe(0);
    expect(listFiles(join(dir, "gen"))).toEqual(["store_grpc.ts", "store_pb.ts"]);

    expect(stubwright(dir, "generate", "--out", "src").status).toBe(0);
    expect(listFiles(join(dir, "src"))).toEqual(["main.ts", "store_grpc.ts", "store_pb.ts"]);
    expect(readFileSync(join(dir, "src/main.ts"), "utf8")).toBe("keep me\n");
  });
});

describe("stubwright generate errors are one clear line", () => {
  it("a missing default directory", () => {
    expect(oneLineError(stubwright(project(), "generate"))).toBe("directory protos does not exist");
  });

  it("a missing directory given on the command line", () => {
    expect(oneLineError(stubwright(project(), "generate", "nowhere"))).toBe("directory nowhere does not exist");
  });

  it("a directory without .proto files", () => {
    const dir = project({ "protos/README.md": "nothing here\n", "protos/sub/notes.txt": "\n" });
    expect(oneLineError(stubwright(dir, "generate"))).toBe("no .proto files in protos");
  });

  it("a proto syntax error: buf's message with file:line:column", () => {
    const dir = project({
      "protos/good.proto": shopProto,
      "protos/bad/broken.proto": 'syntax = "proto3";\npackage bad;\nmessage Broken { string a = 1 }\n',
    });
    const message = oneLineError(stubwright(dir, "generate"));
    expect(message).toMatch(/^protos\/bad\/broken\.proto:3:\d+:/);
    expect(existsSync(join(dir, "gen"))).toBe(false);
  });

  it("an unknown import: buf's message with file:line:column", () => {
    const dir = project({ "protos/a.proto": 'syntax = "proto3";\nimport "missing/dep.proto";\n' });
    expect(oneLineError(stubwright(dir, "generate"))).toMatch(/^protos\/a\.proto:2:\d+:.*does not exist/);
  });

  it("a bad --target or --import-extension, before buf runs", () => {
    const dir = project({ "protos/shop.proto": shopProto });
    expect(oneLineError(stubwright(dir, "generate", "--target", "python"))).toBe('--target must be ts, js, dts or a combination such as js+dts, got "python"');
    expect(oneLineError(stubwright(dir, "generate", "--import-extension", "mjs"))).toBe('--import-extension must be js, ts or none, got "mjs"');
    expect(existsSync(join(dir, "gen"))).toBe(false);
  });
});
