import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, type CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { beforeAll, describe, expect, it } from "vitest";
import { buildRequest } from "../support/code-generator-request.mjs";
import { tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// protoplugin requires the TypeScript compiler (~250 ms to load) when it is
// loaded; our executable defers it (src/defer-typescript.ts) because it
// prints js and dts itself. buf runs the plugin once per directory by
// default, so this cost would be paid many times over.
const recorder = join(import.meta.dirname, "fixtures/record-compiled.cjs");
let request: CodeGeneratorRequest;
beforeAll(() => {
  request = buildRequest("test/fixtures/protos", { paths: ["fixture/echo/v1/echo.proto"] });
});

function run(bin: string, parameter: string): string {
  const input = toBinary(CodeGeneratorRequestSchema, { ...request, parameter });
  const result = spawnSync(process.execPath, ["--require", recorder, bin], { input });
  expect(result.status).toBe(0);
  return result.stderr.toString();
}

describe("plugin start-up", () => {
  it.each(["target=ts", "target=js", "target=dts", "target=js+dts+ts"])("never loads the TypeScript compiler for %s", (parameter) => {
    expect(run(tools.protocGenStubwright, parameter)).toBe("typescript compiled: false\n");
  });

  it("the check detects the compiler where it is loaded (protoc-gen-es)", () => {
    expect(run(tools.protocGenEs, "target=ts")).toBe("typescript compiled: true\n");
  });
});
