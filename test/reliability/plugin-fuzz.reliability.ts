import { spawnSync } from "node:child_process";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { CodeGeneratorRequestSchema, CodeGeneratorResponseSchema, type CodeGeneratorRequest, type CodeGeneratorResponse } from "@bufbuild/protobuf/wkt";
import { createStubwrightPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRequest } from "../support/code-generator-request.mjs";
import { tools } from "../support/generate-code.mjs";
import { syntaxErrors } from "../support/syntax-errors.js";
import { mutateBytes } from "./byte-mutations.js";
import { createFigures } from "./figures.js";
import { randomTools, rounds, sectionRandom } from "./reliability-options.js";
import { mutateRequest } from "./request-mutations.js";

/**
 * A fuzzer over CodeGeneratorRequests for protoc-gen-stubwright: real
 * requests (the demo, the test fixtures, the interop and editions protos)
 * mutated structurally (names that are no identifiers or that clash,
 * missing files and types, broken options, source info and parameters) and
 * at the byte level. The plugin must answer every one with a
 * CodeGeneratorResponse, an error or files, and every file it writes must
 * parse; run as an executable it must exit cleanly. Bytes that are not a
 * request at all must fail clearly.
 */

interface Outcome {
  readonly response: CodeGeneratorResponse | undefined;
  readonly thrown: unknown;
}

const figures = createFigures("plugin-fuzz");
const random = sectionRandom("plugin-fuzz");
const { int, pick } = randomTools(random);
const structuralCases = rounds(240);
const byteCases = rounds(80);
const executableCases = rounds(6);
const fixtures = ["fixture/echo/v1/echo.proto", "naming/cases/v1/cases.proto", "comments/v1/comments.proto", "wkt/v1/wkt.proto"];

const crashes: string[] = [];
const leakedEngineErrors: string[] = [];
const unparsable: string[] = [];
const executableProblems: string[] = [];
const garbageProblems: string[] = [];
let slowestMs = 0;
let bases: CodeGeneratorRequest[] = [];

/** Error texts of the JavaScript engine: a response carrying one reports a plugin bug, not the input's. */
const engineError = /Cannot read propert|is not a function|is not iterable|of undefined|of null|Maximum call stack|Invalid array length|is not defined/;

function runInProcess(bytes: Uint8Array): Outcome {
  const started = performance.now();
  try {
    return { response: fromBinary(CodeGeneratorResponseSchema, runPlugin(createStubwrightPlugin(), bytes)), thrown: undefined };
  } catch (error) {
    return { response: undefined, thrown: error };
  } finally {
    slowestMs = Math.max(slowestMs, performance.now() - started);
  }
}

function check(what: string, outcome: Outcome): void {
  if (outcome.response === undefined) {
    crashes.push(`${what}: runPlugin threw ${String(outcome.thrown)}`);
    figures.call("crash");
    return;
  }
  const { error, file } = outcome.response;
  if (error !== undefined && error !== "") {
    figures.call("error response");
    if (engineError.test(error)) leakedEngineErrors.push(`${what}: ${error.slice(0, 300)}`);
    return;
  }
  figures.call(file.length === 0 ? "no files, no error" : "files");
  for (const generated of file) {
    const problems = syntaxErrors(generated.name, generated.content);
    if (problems.length > 0) unparsable.push(`${what}: ${generated.name}: ${problems.slice(0, 2).join("; ")}`);
  }
}

/** The plugin as protoc runs it: request on stdin, response on stdout, exit status. */
function runExecutable(bytes: Uint8Array) {
  return spawnSync(process.execPath, [tools.protocGenStubwright], { input: bytes, timeout: 60_000 });
}

function checkExecutable(what: string, bytes: Uint8Array): void {
  figures.fault("plugin executable: mutated request");
  const result = runExecutable(bytes);
  figures.call(`executable exit ${result.status ?? result.signal}`);
  if (result.status !== 0) {
    executableProblems.push(`${what}: exit ${result.status ?? result.signal}: ${result.stderr.toString().slice(0, 300)}`);
    return;
  }
  const inProcess = runInProcess(bytes).response;
  let response: CodeGeneratorResponse;
  try {
    response = fromBinary(CodeGeneratorResponseSchema, result.stdout);
  } catch (error) {
    executableProblems.push(`${what}: stdout is no CodeGeneratorResponse: ${String(error)}`);
    return;
  }
  const sameAnswer =
    (response.error ?? "") === (inProcess?.error ?? "") && response.file.map((f) => f.name).join() === inProcess?.file.map((f) => f.name).join();
  if (!sameAnswer) executableProblems.push(`${what}: the executable answered differently from runPlugin`);
}

/**
 * Bytes that are no CodeGeneratorRequest. Either behaviour is clean: an error
 * response on stdout with exit status 0 (what the plugin did so far), or a
 * non-zero exit with a message on stderr that names the problem and no stack
 * trace (what protoc's own plugins do).
 */
function checkGarbage(name: string, bytes: Uint8Array): void {
  try {
    fromBinary(CodeGeneratorRequestSchema, bytes);
    figures.note(`garbage "${name}" decodes as a CodeGeneratorRequest; not used`);
    return;
  } catch {
    // Not a request: the case applies.
  }
  figures.fault("plugin executable: garbage on stdin");
  const result = runExecutable(bytes);
  const stderr = result.stderr.toString();
  figures.call(`garbage stdin: exit ${result.status ?? result.signal}`);
  if (result.status === 0) {
    let error = "";
    try {
      error = fromBinary(CodeGeneratorResponseSchema, result.stdout).error ?? "";
    } catch {
      // Checked below.
    }
    if (!/malformed CodeGeneratorRequest/.test(error) || stderr !== "") {
      garbageProblems.push(`${name}: exit 0 without a clear error response (error ${JSON.stringify(error)}, stderr ${JSON.stringify(stderr.slice(0, 200))})`);
    }
    figures.note("garbage on stdin: exit status 0 and an error response (the plugin's behaviour so far)");
  } else {
    if (result.status === null || !/CodeGeneratorRequest/i.test(stderr) || /\n\s+at /.test(stderr)) {
      garbageProblems.push(`${name}: exit ${result.status ?? result.signal} with stderr ${JSON.stringify(stderr.slice(0, 300))}`);
    }
    figures.note("garbage on stdin: a non-zero exit status with a message on stderr (as protoc's own plugins)");
  }
}

describe("a fuzzer over CodeGeneratorRequests for protoc-gen-stubwright", () => {
  beforeAll(() => {
    const parameter = "target=ts,import_extension=js";
    bases = [
      buildRequest("protos", { parameter }),
      // A few fixtures with the most to trip over: every call kind, naming clashes, comments, well-known types.
      buildRequest("test/fixtures/protos", { parameter, paths: fixtures }),
      buildRequest("test/fixtures/editions", { parameter }),
      buildRequest("packages/interop/protos", { parameter: "target=js+dts,import_extension=js" }),
    ];
    for (const base of bases) check("an unmutated request", runInProcess(toBinary(CodeGeneratorRequestSchema, base)));
    for (let index = 0; index < structuralCases; index++) {
      const { request, done } = mutateRequest(pick(bases), random);
      figures.fault("request: structural mutation", done.length);
      check(`structural case ${index} (${done.join("; ")})`, runInProcess(toBinary(CodeGeneratorRequestSchema, request)));
    }
    for (let index = 0; index < byteCases; index++) {
      const bytes = mutateBytes(toBinary(CodeGeneratorRequestSchema, pick(bases)), random, 6);
      figures.fault("request: byte mutation");
      check(`byte case ${index}`, runInProcess(bytes));
    }
    for (let index = 0; index < executableCases; index++) {
      const { request, done } = mutateRequest(pick(bases), random);
      checkExecutable(`executable case ${index} (${done.join("; ")})`, toBinary(CodeGeneratorRequestSchema, request));
    }
    const valid = toBinary(CodeGeneratorRequestSchema, bases[0]!);
    checkGarbage("text", Buffer.from("hello, plugin\n"));
    checkGarbage("0xff bytes", Buffer.alloc(16, 0xff));
    checkGarbage("JSON", Buffer.from('{"file_to_generate":["a.proto"]}'));
    checkGarbage("a request cut in the middle of a field", valid.subarray(0, int(8, 40)));
    checkGarbage("a PNG header", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    figures.note(`slowest in-process run: ${Math.round(slowestMs)} ms`);
  });

  afterAll(() => {
    figures.write();
  });

  it("the plugin answered every request with a CodeGeneratorResponse, never a throw", () => {
    expect(figures.data.calls).toBeGreaterThanOrEqual(structuralCases + byteCases);
    expect(crashes).toEqual([]);
  });

  it("error responses describe the input, not a JavaScript engine error", () => {
    expect(leakedEngineErrors).toEqual([]);
  });

  it("every file the plugin wrote parses", () => {
    expect(unparsable).toEqual([]);
  });

  it("the executable exits 0 with the same response as runPlugin", () => {
    expect(executableProblems).toEqual([]);
  });

  it("bytes that are no request fail clearly (today's error response, or a non-zero exit with a message)", () => {
    expect(garbageProblems).toEqual([]);
  });
});
