import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot, tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { createScratch, oneLineError, runProgram, shopProto, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/** `stubwright generate`: the rule for flags and buf.gen.yaml, paths, cleaning, options, errors, summary. */

const { project } = createScratch("generate");

const storeProto = shopProto.replace("shop.v1", "store.v1");
const summary = /^(\d+) files? written in \d+\.\d s( \(the generated code was up to date\))?\n$/;

/** Files three syntax and type errors apart: buf reports each. */
const brokenProto = 'syntax = "proto3";\npackage bad;\nmessage A { string a = 1 }\nmessage B { Missing m = 1; Nope n = 2; }\n';

/** A buf.gen.yaml as init writes it, with the plugins on PATH. */
const bufGenYaml = `version: v2
inputs:
  - directory: proto
clean: true
plugins:
  - local: protoc-gen-es
    out: src/gen
    opt: [target=ts, import_extension=js]
    strategy: all
  - local: protoc-gen-stubwright
    out: src/gen
    opt: [target=ts, import_extension=js]
    strategy: all
`;

/** The number of files the summary line says were written. */
function writtenCount(stdout: string): number {
  const match = summary.exec(stdout);
  expect(match, stdout).not.toBeNull();
  return Number(match![1]);
}

describe("stubwright generate without a buf.gen.yaml: init's layout, changed by flags", () => {
  it("generates proto/ into src/gen/ with target=ts and import_extension=js, and prints the summary", () => {
    const dir = project({ "proto/shop/v1/shop.proto": shopProto });
    const result = stubwright(dir, ["generate"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(writtenCount(result.stdout)).toBe(2);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop/v1/shop_grpc.ts", "shop/v1/shop_pb.ts"]);
    const stubs = readFileSync(join(dir, "src/gen/shop/v1/shop_grpc.ts"), "utf8");
    expect(stubs).toContain('with parameter "target=ts,import_extension=js"');
    expect(stubs).toContain('import { Shop } from "./shop_pb.js";');

    const again = stubwright(dir, ["generate"]);
    expect(again.stdout).toMatch(/^0 files written in \d+\.\d s \(the generated code was up to date\)\n$/);
  });

  it("takes --root, --out and --target", () => {
    const dir = project({ "api/shop.proto": shopProto });
    const result = stubwright(dir, ["generate", "--root", "api", "--out", "lib/gen", "--target", "js+dts"]);
    expect(result.status, result.stderr).toBe(0);
    expect(writtenCount(result.stdout)).toBe(4);
    expect(listFiles(join(dir, "lib/gen"))).toEqual(["shop_grpc.d.ts", "shop_grpc.js", "shop_pb.d.ts", "shop_pb.js"]);
  });

  it("passes --opt to protoc-gen-stubwright and --es-opt to protoc-gen-es", () => {
    const dir = project({ "proto/shop.proto": shopProto });
    const result = stubwright(dir, ["generate", "--opt", "runtime_package=@acme/rpc-runtime", "--es-opt", "json_types=true"]);
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(dir, "src/gen/shop_grpc.ts"), "utf8")).toContain('from "@acme/rpc-runtime/codegenv1"');
    expect(readFileSync(join(dir, "src/gen/shop_pb.ts"), "utf8")).toContain("export type ItemJson = {");
  });

  it("shows the plugin's own error for a bad --opt and exits with buf's code", () => {
    const dir = project({ "proto/shop.proto": shopProto });
    const result = stubwright(dir, ["generate", "--opt", "colour=blue"]);
    expect(result.stderr).toMatch(/invalid option "colour=blue": unknown option "colour"/);
    expect(result.stderr).toMatch(/\nstubwright: buf generate failed with exit code 1\n$/);
    expect(result.status).toBe(1);
  });

  it("cleans stale output by default, keeps it with --no-clean, and never deletes files that are not generated", () => {
    const dir = project({ "proto/shop.proto": shopProto, "src/main.ts": "keep me\n" });
    expect(stubwright(dir, ["generate"]).status).toBe(0);
    rmSync(join(dir, "proto/shop.proto"));
    writeFileSync(join(dir, "proto/store.proto"), storeProto);

    expect(stubwright(dir, ["generate", "--no-clean"]).status).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts", "store_grpc.ts", "store_pb.ts"]);
    expect(stubwright(dir, ["generate"]).status).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["store_grpc.ts", "store_pb.ts"]);

    // src/ holds a file of yours: not cleaned by default, and --clean refuses.
    expect(stubwright(dir, ["generate", "--out", "src"]).status).toBe(0);
    expect(oneLineError(stubwright(dir, ["generate", "--out", "src", "--clean"]))).toBe(
      "--clean would delete src/main.ts, which is not generated code; choose another --out",
    );
    expect(readFileSync(join(dir, "src/main.ts"), "utf8")).toBe("keep me\n");
  });

  it("generates only the files and directories named, keeping the others' output", () => {
    const dir = project({ "proto/shop/shop.proto": shopProto, "proto/store/store.proto": storeProto });
    const first = stubwright(dir, ["generate", "proto/shop/shop.proto"]);
    expect(first.status, first.stderr).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop/shop_grpc.ts", "shop/shop_pb.ts"]);
    expect(stubwright(dir, ["generate", "proto/store"]).status).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop/shop_grpc.ts", "shop/shop_pb.ts", "store/store_grpc.ts", "store/store_pb.ts"]);
    // Naming the root means all of it (buf itself refuses a --path equal to its input).
    expect(stubwright(dir, ["generate", "proto"]).status).toBe(0);
  });

  it("rejects paths that do not exist or are outside the root, and bad option values, before buf runs", () => {
    const dir = project({ "proto/shop.proto": shopProto, "other/x.proto": storeProto });
    expect(oneLineError(stubwright(dir, ["generate", "proto/nope.proto"]))).toBe("proto/nope.proto does not exist");
    expect(oneLineError(stubwright(dir, ["generate", "other/x.proto"]))).toBe(
      "other/x.proto is not under proto/, the directory of the .proto files; pass --root <dir> to choose another",
    );
    expect(oneLineError(stubwright(dir, ["generate", "--target", "python"]))).toBe(
      '--target must be ts, js, dts or a combination such as js+dts, got "python"',
    );
    expect(oneLineError(stubwright(dir, ["generate", "--import-extension", "mjs"]))).toBe('--import-extension must be js, ts or none, got "mjs"');
    expect(oneLineError(stubwright(project(), ["generate"]))).toBe(
      "directory proto does not exist; pass --root <dir> to name the directory of your .proto files",
    );
    expect(oneLineError(stubwright(project({ "proto/README.md": "\n" }), ["generate"]))).toBe("no .proto files in proto");
    expect(existsSync(join(dir, "src/gen"))).toBe(false);
  });
});

describe("stubwright generate with a buf.gen.yaml: used as it is", () => {
  it("runs buf with it and prints the summary", () => {
    const dir = project({ "buf.gen.yaml": bufGenYaml, "proto/shop.proto": shopProto });
    const result = stubwright(dir, ["generate"]);
    expect(result.stderr).toBe("");
    expect(writtenCount(result.stdout)).toBe(2);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
  });

  it("takes a path naming one of its input directories as all of it, cleaning as without paths", () => {
    const dir = project({ "buf.gen.yaml": bufGenYaml, "proto/shop.proto": shopProto, "src/gen/stale_pb.ts": "// stale\n" });
    const result = stubwright(dir, ["generate", "proto"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
  });

  it("refuses flags that would change it, naming them; --no-config uses the flags instead", () => {
    const dir = project({ "buf.gen.yaml": bufGenYaml, "proto/shop.proto": shopProto });
    expect(oneLineError(stubwright(dir, ["generate", "--out", "lib"]))).toBe(
      "--out cannot be combined with buf.gen.yaml, which sets the plugins, their options and output: change it there, or pass --no-config to generate from flags alone",
    );
    expect(oneLineError(stubwright(dir, ["generate", "--target", "js", "--opt", "a=b", "--es-opt", "c=d"]))).toMatch(
      /^--target, --opt, --es-opt cannot be combined with buf\.gen\.yaml, /,
    );
    expect(oneLineError(stubwright(dir, ["generate", "--root", "proto"]))).toMatch(/^--root cannot be combined/);
    expect(oneLineError(stubwright(dir, ["generate", "--import-extension", "ts"]))).toMatch(/^--import-extension cannot be combined/);
    expect(existsSync(join(dir, "src/gen"))).toBe(false);

    const result = stubwright(dir, ["generate", "--no-config", "--out", "lib"]);
    expect(result.status, result.stderr).toBe(0);
    expect(listFiles(join(dir, "lib"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
    expect(existsSync(join(dir, "src/gen"))).toBe(false);
  });

  it("uses another file with --template, which --no-config contradicts", () => {
    const dir = project({ "config/gen.yaml": bufGenYaml.replaceAll("src/gen", "out"), "proto/shop.proto": shopProto });
    expect(stubwright(dir, ["generate", "--template", "config/gen.yaml"]).status).toBe(0);
    expect(listFiles(join(dir, "out"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
    expect(oneLineError(stubwright(dir, ["generate", "--template", "nope.yaml"]))).toBe("--template nope.yaml does not exist");
    expect(oneLineError(stubwright(dir, ["generate", "--template", "config/gen.yaml", "--no-config"]))).toBe(
      "--template and --no-config exclude each other: --template names the buf.gen.yaml to use",
    );
  });

  it("with paths, keeps the output of the other files despite `clean: true`, unless --clean", () => {
    const dir = project({ "buf.gen.yaml": bufGenYaml, "proto/shop.proto": shopProto, "proto/store.proto": storeProto });
    expect(stubwright(dir, ["generate"]).status).toBe(0);
    const one = stubwright(dir, ["generate", "proto/shop.proto"]);
    expect(one.status, one.stderr).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts", "store_grpc.ts", "store_pb.ts"]);
    expect(stubwright(dir, ["generate", "proto/shop.proto", "--clean"]).status).toBe(0);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["shop_grpc.ts", "shop_pb.ts"]);
  });

  it("--no-clean overrides `clean: true`", () => {
    const dir = project({ "buf.gen.yaml": bufGenYaml, "proto/shop.proto": shopProto });
    expect(stubwright(dir, ["generate"]).status).toBe(0);
    writeFileSync(join(dir, "src/gen/stale_pb.ts"), "// stale\n");
    expect(stubwright(dir, ["generate", "--no-clean"]).status).toBe(0);
    expect(existsSync(join(dir, "src/gen/stale_pb.ts"))).toBe(true);
    expect(stubwright(dir, ["generate"]).status).toBe(0);
    expect(existsSync(join(dir, "src/gen/stale_pb.ts"))).toBe(false);
  });
});

describe("stubwright generate shows every error buf reports and exits with buf's code", () => {
  it.each([
    { mode: "without a buf.gen.yaml", files: {} },
    { mode: "with a buf.gen.yaml", files: { "buf.gen.yaml": bufGenYaml } },
  ])("$mode", ({ files }) => {
    const dir = project({ ...files, "proto/good.proto": shopProto, "proto/bad/broken.proto": brokenProto });
    const result = stubwright(dir, ["generate"]);
    const errors = result.stderr.split("\n").filter((line) => /^proto\/bad\/broken\.proto:\d+:\d+:/.test(line));
    expect(errors, result.stderr).toEqual([
      expect.stringMatching(/^proto\/bad\/broken\.proto:3:\d+:/),
      expect.stringMatching(/^proto\/bad\/broken\.proto:4:\d+:.*Missing/),
      expect.stringMatching(/^proto\/bad\/broken\.proto:4:\d+:.*Nope/),
    ]);
    // buf's own exit code for the same input.
    const direct = runProgram(tools.buf, ["build", "proto"], dir);
    expect(direct.status).toBeGreaterThan(1);
    expect(result.status).toBe(direct.status);
    expect(result.stderr.endsWith(`stubwright: buf generate failed with exit code ${direct.status}\n`)).toBe(true);
    expect(result.stdout).toBe("");
    expect(existsSync(join(dir, "src/gen"))).toBe(false);
  });
});

describe("stubwright generate on a large tree: the googleapis corpus", () => {
  it("reports progress while it runs and the number of files written at the end", () => {
    const corpus = join(repoRoot, "../shared/protos/corpus/googleapis");
    const dir = project();
    // A short interval, so that a line is due long before buf can have finished.
    const result = stubwright(dir, ["generate", "--root", corpus, "--out", "gen"], { STUBWRIGHT_PROGRESS_INTERVAL_MS: "10" });
    expect(result.status, result.stderr).toBe(0);
    const all = result.stderr.split("\n").filter((line) => line !== "");
    // The plugin's own notes (buf passes its stderr on): Firestore's bidi streams have http rules.
    const warnings = all.filter((line) => line.startsWith("protoc-gen-stubwright: warning: "));
    expect(warnings).toEqual([
      expect.stringContaining("google/firestore/v1/firestore.proto: rpc google.firestore.v1.Firestore.Write: its google.api.http rule is ignored"),
      expect.stringContaining("google/firestore/v1/firestore.proto: rpc google.firestore.v1.Firestore.Listen: its google.api.http rule is ignored"),
    ]);
    const lines = all.filter((line) => !warnings.includes(line));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatch(/^stubwright: still generating \(\d+\.\d s\)$/);
    }
    const files = listFiles(join(dir, "gen"));
    expect(files.length).toBeGreaterThan(50);
    expect(writtenCount(result.stdout)).toBe(files.length);
  });
});
