import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, expect } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { programTimeoutMs } from "../support/program-timeouts.js";

/** The `stubwright` bin, as users run it. */
export const cli = join(repoRoot, "packages/cli/bin/stubwright.js");

/** What a finished program printed, and how it exited. */
export interface ProgramResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A scratch area outside the repository for the calling test file, removed
 * after its tests. `project()` makes a new directory in it with the given files.
 */
export function createScratch(prefix: string): { project(files?: Readonly<Record<string, string>>): string } {
  const scratch = mkdtempSync(join(tmpdir(), `stubwright-${prefix}-`));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let projects = 0;
  return {
    project(files = {}) {
      const dir = join(scratch, `project-${++projects}`);
      mkdirSync(dir);
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      return dir;
    },
  };
}

/**
 * Progress lines only while a run lasts an hour, so that tests asserting what
 * stderr holds do not depend on how fast buf is; a test of progress sets its own.
 */
const quietProgress = { STUBWRIGHT_PROGRESS_INTERVAL_MS: String(3_600_000) };

/** Runs `stubwright ...args` in `cwd`. */
export function stubwright(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ProgramResult {
  return runProgram(process.execPath, [cli, ...args], cwd, { ...quietProgress, ...env });
}

/** Runs a program to its end. */
export function runProgram(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): ProgramResult {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: programTimeoutMs, env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git in `cwd`, asserting it succeeds, and returns its stdout; commits get a fixed author. */
export function git(cwd: string, args: readonly string[]): string {
  const author = { GIT_AUTHOR_NAME: "Test", GIT_AUTHOR_EMAIL: "test@example.com", GIT_COMMITTER_NAME: "Test", GIT_COMMITTER_EMAIL: "test@example.com" };
  const result = runProgram("git", ["-c", "commit.gpgsign=false", ...args], cwd, author);
  expect(result.status, `git ${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

/** Asserts a failure printed exactly one line, `stubwright: <message>`, and returns the message. */
export function oneLineError(result: ProgramResult): string {
  expect(result.status, result.stderr).toBe(1);
  expect(result.stderr).toMatch(/^stubwright: [^\n]+\n$/);
  return result.stderr.slice("stubwright: ".length, -1);
}

/** A small service with a unary and a streaming method. */
export const shopProto = `syntax = "proto3";
package shop.v1;

message Item { string sku = 1; }

service Shop {
  rpc GetItem(Item) returns (Item);
  rpc Watch(Item) returns (stream Item);
}
`;
