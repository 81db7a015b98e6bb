import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { compileProtos, createRequest, decodeResponse, encodeRequest } from "../support/plugin-request.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * The executable as protoc and buf start it: a request on stdin, a response
 * on stdout, nothing else.
 */

const pluginDir = join(repoRoot, "packages/protoc-gen-stubwright");
const bin = join(pluginDir, "bin/protoc-gen-stubwright");
const { version } = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8")) as { version: string };

const scratch = mkdtempSync(join(tmpdir(), "stubwright-bin-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A preload script that records every CommonJS module Node actually reads
 * from disk. A stand-in put into the require cache never gets here, so this
 * tells a deferred module apart from a loaded one.
 */
const recorder = join(scratch, "record-loads.cjs");
writeFileSync(
  recorder,
  `"use strict";
const Module = require("node:module");
const fs = require("node:fs");
const loaded = [];
const load = Module.prototype.load;
Module.prototype.load = function (filename) {
  loaded.push(filename);
  return load.call(this, filename);
};
process.on("exit", () => fs.writeFileSync(process.env.STUBWRIGHT_LOAD_LOG, JSON.stringify(loaded)));
`,
);

function run(args: readonly string[], input: Uint8Array | string = "", cwd = scratch): SpawnSyncReturns<Buffer> {
  return spawnSync(process.execPath, [...args], { input, cwd, timeout: programTimeoutMs });
}

/** Runs `args` under the recorder and returns the result and the modules read from disk. */
function runRecorded(args: readonly string[], input: Uint8Array | string, cwd: string) {
  const log = join(scratch, `loads-${Math.random().toString(36).slice(2)}.json`);
  const result = spawnSync(process.execPath, ["--require", recorder, ...args], {
    input,
    cwd,
    timeout: programTimeoutMs,
    env: { ...process.env, STUBWRIGHT_LOAD_LOG: log },
  });
  const loaded = JSON.parse(readFileSync(log, "utf8")) as string[];
  return { result, loaded };
}

const isTypeScriptCompiler = (path: string): boolean => path.replaceAll("\\", "/").includes("/typescript/lib/typescript.js");

/** Whether `bytes` decode as a CodeGeneratorRequest. */
function decodes(bytes: Uint8Array | string): boolean {
  try {
    fromBinary(CodeGeneratorRequestSchema, typeof bytes === "string" ? Buffer.from(bytes) : bytes);
    return true;
  } catch {
    return false;
  }
}

let set: FileDescriptorSet;
let request: Uint8Array;
beforeAll(() => {
  set = compileProtos({
    "bin/v1/ping.proto": `syntax = "proto3";
package bin.v1;
message Beat { string id = 1; }
// Answers pings.
service Pinger { rpc Ping(Beat) returns (Beat); }
`,
  });
  request = encodeRequest(createRequest(set, ["bin/v1/ping.proto"], "target=ts+js+dts,import_extension=js"));
});

describe("bin/protoc-gen-stubwright", () => {
  it("answers a request on stdin with a CodeGeneratorResponse on stdout", () => {
    const result = run([bin], request);
    expect(result.status).toBe(0);
    expect(result.stderr.toString()).toBe("");
    const response = decodeResponse(result.stdout);
    expect(response.error).toBe("");
    expect(response.file.map((file) => file.name).sort()).toEqual(["bin/v1/ping_grpc.d.ts", "bin/v1/ping_grpc.js", "bin/v1/ping_grpc.ts"]);
    expect(response.file.find((file) => file.name === "bin/v1/ping_grpc.ts")?.content).toContain(
      "export const PingerDefinition: ServiceDefinitionOf<typeof Pinger> = /*@__PURE__*/ defineService(Pinger);",
    );
  });

  it.each([
    ["empty", () => new Uint8Array(0), /^protoc-gen-stubwright: stdin is empty; expected a CodeGeneratorRequest\n/],
    ["garbage", () => Buffer.from([0xff, 0xff, 0xff]), /^protoc-gen-stubwright: stdin is not a CodeGeneratorRequest \(3 bytes\): /],
    ["text", () => "not a request\n", /^protoc-gen-stubwright: stdin is not a CodeGeneratorRequest \(14 bytes\): /],
    ["truncated", () => request.subarray(0, request.length - 1), /^protoc-gen-stubwright: stdin is not a CodeGeneratorRequest \(\d+ bytes\): /],
  ])("stdin that is not a CodeGeneratorRequest (%s): exits 1, says why on stderr, writes no response", (_what, input, message) => {
    const bytes = input();
    // Guards the case itself: these bytes must not decode as a request.
    expect(bytes.length === 0 || !decodes(bytes)).toBe(true);
    const result = run([bin], bytes);
    expect(result.status).toBe(1);
    expect(result.stdout.length).toBe(0);
    expect(result.stderr.toString()).toMatch(message);
    expect(result.stderr.toString()).toMatch(/Run it through buf/);
    expect(result.stderr.toString()).not.toMatch(/\n\s+at /);
  });

  it("a request it cannot serve (a bad option) is answered with an error response and exit 0, as protoc expects", () => {
    const bad = encodeRequest(createRequest(set, ["bin/v1/ping.proto"], "target=ts,runtime_package=../anything"));
    const result = run([bin], bad);
    expect(result.status).toBe(0);
    expect(result.stderr.toString()).toBe("");
    const response = decodeResponse(result.stdout);
    expect(response.error).toMatch(/^protoc-gen-stubwright: invalid option "runtime_package=\.\.\/anything": runtime_package must be a bare package specifier/);
    expect(response.file).toEqual([]);
  });

  it("--version prints the package version", () => {
    const result = run([bin, "--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toBe(`protoc-gen-stubwright v${version}\n`);
  });

  it("an unexpected argument prints usage and exits 1", () => {
    const result = run([bin, "--help"]);
    expect(result.status).toBe(1);
    expect(result.stdout.toString()).toBe("");
    expect(result.stderr.toString()).toMatch(/reads a CodeGeneratorRequest on stdin/);
  });

  it("does not load the TypeScript compiler to generate code", () => {
    const { result, loaded } = runRecorded([bin], request, scratch);
    expect(decodeResponse(result.stdout).file.length).toBe(3);
    // The recorder sees protoplugin itself, so it is not blind ...
    expect(loaded.some((path) => path.replaceAll("\\", "/").includes("/@bufbuild/protoplugin/"))).toBe(true);
    // ... but no TypeScript compiler.
    expect(loaded.filter(isTypeScriptCompiler)).toEqual([]);
  });

  it("(control) protoplugin without the deferral does load the TypeScript compiler", () => {
    const { loaded } = runRecorded(["-e", 'require("@bufbuild/protoplugin")'], "", pluginDir);
    expect(loaded.filter(isTypeScriptCompiler).length).toBeGreaterThan(0);
  });
});
