import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { repoRoot } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { type ScriptProcess, startProgram } from "../support/script-process.js";
import { createScratch, runProgram, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/**
 * The project `stubwright init` sets up, followed through its next steps:
 * generate, build (which type-checks src/server.ts and src/client.ts against
 * the generated code), start the server, call it with the client. The project
 * lives outside the repository; instead of `npm install` from a registry, its
 * node_modules is a link to the workspace's, which holds the built packages.
 * Installing the packed packages from scratch, and the CommonJS project (which
 * needs the runtime's CommonJS build, made only when packing), are the
 * consumer-project test's job.
 */

const { project } = createScratch("init-project");
const servers: ScriptProcess[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.kill();
  }
});

const npm = (dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) => runProgram("npm", args, dir, env);

describe("stubwright init in an empty folder, then its next steps", () => {
  it("generates, builds, serves and calls over 127.0.0.1", async () => {
    const dir = project();
    expect(stubwright(dir, ["init"]).status).toBe(0);
    symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"), "dir");

    const generate = npm(dir, ["run", "generate"]);
    expect(generate.status, generate.stderr).toBe(0);
    expect(generate.stdout).toMatch(/^2 files written in \d+\.\d s$/m);
    expect(listFiles(join(dir, "src/gen"))).toEqual(["greeter/v1/greeter_grpc.ts", "greeter/v1/greeter_pb.ts"]);

    const build = npm(dir, ["run", "build"]);
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);

    const server = startProgram(process.execPath, ["dist/server.js"], { cwd: dir, env: { ...process.env, PORT: "0" } });
    servers.push(server);
    const [, port] = await server.line(/listening on 127\.0\.0\.1:(\d+)$/);
    const env = { PORT: port };

    const reply = npm(dir, ["run", "client", "--", "Ada"], env);
    expect(reply.status, reply.stderr).toBe(0);
    expect(reply.stdout).toMatch(/^Hello, Ada!$/m);
    await server.line(/^SayHello\(Ada\) from 127\.0\.0\.1:\d+, \d+ ms left$/);

    const refused = runProgram(process.execPath, ["dist/client.js", ""], dir, env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("SayHello failed: INVALID_ARGUMENT: name must not be empty\n");

    server.child.kill("SIGTERM");
    await server.line(/^stopped$/);
    expect(await server.exited).toMatchObject({ code: 0, signal: null });

    const unreachable = runProgram(process.execPath, ["dist/client.js"], dir, env);
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(/^SayHello failed: UNAVAILABLE: /);
  });
});
