import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { benchBoundMs, benchDir } from "../../support/bench-suite.js";
import { allowTimeForPrograms } from "../../support/program-timeouts.js";

allowTimeForPrograms();

/** Runs `npm run bench:profile -- baseline unary-c1 200` (built) with more environment; resolves with its output. */
function profile(env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const options = { cwd: benchDir, env: { ...process.env, ...env }, timeout: benchBoundMs };
    execFile(process.execPath, ["scripts/profile.mjs", "baseline", "unary-c1", "200"], options, (error, stdout, stderr) => {
      if (error) reject(new Error(`the profile failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

// `npm run bench:profile`: smoke runs of both modes, checking that each side's profile is read and summed,
// never what the figures are.
describe("bench:profile (smoke runs)", () => {
  it("splits each process's CPU by place", async () => {
    const output = await profile({});
    for (const side of ["server", "client"]) {
      expect(output).toMatch(new RegExp(`\\n${side}: \\d+ ms busy\\n(  +[\\d.]+ %  \\S.*\\n)+`));
    }
    expect(output).toMatch(/ +[\d.]+ % {2}grpc-js\n/);
  });

  it("samples allocations per operation with BENCH_PROFILE=alloc", async () => {
    const output = await profile({ BENCH_PROFILE: "alloc" });
    for (const side of ["server", "client"]) {
      const total = new RegExp(`\\n${side}: +(\\d+) B allocated per operation`).exec(output);
      expect(total, output).not.toBeNull();
      expect(Number(total![1])).toBeGreaterThan(0);
    }
    expect(output).toMatch(/ +\d+ B {2}\[[a-z-]+\] \S/);
  });
});
