import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { cli, createScratch, git, type ProgramResult, runProgram, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/**
 * The CI recipe of docs/schema-workflow.md: its `run:` steps, as written
 * there, on a project `stubwright init` set up, cloned as CI checks it out.
 */

const { project } = createScratch("ci-recipe");

const protoPath = "proto/greeter/v1/greeter.proto";

/** The `run:` commands of the workflow in the guide, without `npm ci` (the CLI runs from this repository). */
function workflowSteps(): string[] {
  const guide = readFileSync(join(repoRoot, "docs/schema-workflow.md"), "utf8");
  const workflow = /```yaml\n(# \.github\/workflows\/schema\.yml\n[\s\S]*?)```/.exec(guide)?.[1];
  expect(workflow, "the workflow block of docs/schema-workflow.md").toBeDefined();
  const runs = [...(workflow ?? "").matchAll(/^\s*(?:- )?run: (.+)$/gm)].map((match) => match[1]!.trim());
  expect(runs[0]).toBe("npm ci");
  return runs.slice(1);
}

/** Runs each step in `dir` as CI would, through a shell, with `npx stubwright` being this repository's CLI. */
function runSteps(dir: string): Array<{ step: string } & ProgramResult> {
  const stubwrightCommand = `"${process.execPath}" "${cli}"`;
  return workflowSteps().map((step) => ({
    step,
    ...runProgram("sh", ["-c", step.replaceAll("npx stubwright", stubwrightCommand)], dir, { STUBWRIGHT_PROGRESS_INTERVAL_MS: "3600000" }),
  }));
}

/** A repository whose main holds an init project with its generated code, cloned onto branch feature. */
function checkout(): string {
  const origin = project();
  expect(stubwright(origin, ["init"]).status).toBe(0);
  expect(stubwright(origin, ["generate"]).status).toBe(0);
  git(origin, ["init", "--quiet", "--initial-branch=main"]);
  git(origin, ["add", "--all"]);
  git(origin, ["commit", "--quiet", "--message", "init"]);
  const clone = join(origin, "..", `${origin.split("/").pop()}-clone`);
  git(origin, ["clone", "--quiet", origin, clone]);
  git(clone, ["switch", "--quiet", "--create", "feature"]);
  return clone;
}

/** Edits the example proto, regenerates unless told not to, and commits. */
function change(dir: string, edit: (proto: string) => string, regenerate = true): void {
  const path = join(dir, protoPath);
  writeFileSync(path, edit(readFileSync(path, "utf8")));
  if (regenerate) {
    expect(stubwright(dir, ["generate"]).status).toBe(0);
  }
  git(dir, ["add", "--all", "proto", ...(regenerate ? ["src"] : [])]);
  git(dir, ["commit", "--quiet", "--message", "change"]);
}

const exitCodes = (results: ReadonlyArray<{ step: string; status: number | null }>): Record<string, number | null> =>
  Object.fromEntries(results.map((result) => [result.step, result.status]));

describe("the CI recipe", () => {
  it("has the steps the guide describes", () => {
    expect(workflowSteps()).toEqual([
      "npx stubwright generate",
      "git add --intent-to-add src/gen && git diff --exit-code src/gen",
      "npx stubwright lint",
      "npx stubwright breaking --against origin/main",
      "npx stubwright docs --out docs/api",
    ]);
  });

  it("passes a compatible change whose generated code is committed, and writes the docs", () => {
    const dir = checkout();
    change(dir, (proto) => proto.replace("  string name = 1;\n", "  string name = 1;\n  // How to greet.\n  string greeting = 2;\n"));
    const results = runSteps(dir);
    expect(exitCodes(results)).toEqual(Object.fromEntries(workflowSteps().map((step) => [step, 0])));
    expect(results[3]!.stdout).toBe("no breaking changes against git ref origin/main (buf.yaml's breaking rules)\n");
    expect(listFiles(join(dir, "docs/api"))).toEqual(["greeter/v1/index.html", "greeter/v1/index.md"]);
  });

  it("fails the up-to-date check when the generated code was not regenerated", () => {
    const dir = checkout();
    change(dir, (proto) => proto.replace("  string name = 1;\n", "  string name = 1;\n  string greeting = 2;\n"), false);
    const codes = Object.values(exitCodes(runSteps(dir)));
    expect(codes).toEqual([0, 1, 0, 0, 0]);
  });

  it("fails the breaking step on a deleted field, with the finding and its explanation", () => {
    const dir = checkout();
    change(dir, (proto) => proto.replace("  // Who to greet; must not be empty.\n  string name = 1;\n", ""));
    const results = runSteps(dir);
    expect(results.map((result) => result.status)).toEqual([0, 0, 0, 100, 0]);
    expect(results[3]!.stdout).toBe(
      'proto/greeter/v1/greeter.proto:13:1: FIELD_NO_DELETE: Previously present field "1" with name "name" on message "SayHelloRequest" was deleted.\n' +
        "  Old clients still send and expect this field: the new side drops its value silently, JSON readers reject the unknown name, and code using it no longer compiles; reserve the number and name instead.\n",
    );
    expect(results[3]!.stderr).toBe("stubwright: 1 breaking change against git ref origin/main (buf.yaml's breaking rules)\n");
  });
});
