import { interopCaseNames } from "@stubwright/interop";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInteropTable } from "../support/interop-table.js";
import { killAllChildren, runClientProcess, startServerProcess, type ServerProcess } from "../support/interop-processes.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// The contract as a harness drives it: the two binaries as real processes,
// flags on the command line, exit codes and one-line reasons. Every case runs
// in process in interop-matrix.test.ts; here a subset that covers each call
// kind, cancellation, deadlines, metadata, status and compression runs as
// processes (INTEROP_ALL_CASES=1 runs all of them, plaintext and TLS).
const all = process.env.INTEROP_ALL_CASES === "1";
const plaintextCases = all
  ? interopCaseNames
  : [
      "empty_unary",
      "client_compressed_unary",
      "server_streaming",
      "cancel_after_first_response",
      "timeout_on_sleeping_server",
      "status_code_and_message",
      "unimplemented_method",
    ];
const tlsCases = all ? interopCaseNames : ["large_unary", "client_compressed_streaming", "ping_pong", "custom_metadata"];
const table = createInteropTable();
let plaintext: ServerProcess;
let tls: ServerProcess;

beforeAll(async () => {
  [plaintext, tls] = await Promise.all([startServerProcess(["--use_tls=false"]), startServerProcess(["--use_tls", "true", "--some_unknown_flag=1"])]);
});

afterAll(async () => {
  await Promise.all([plaintext?.stop(), tls?.stop()]);
  killAllChildren();
  console.log(`\ninterop process table\n${table.render()}`);
});

async function expectCasePasses(args: readonly string[]): Promise<void> {
  const result = await runClientProcess(args);
  if (result.code !== 0) {
    throw new Error(`exit ${result.code ?? result.signal}: ${result.stderr.trim()}`);
  }
}

describe("client process -> server process (plaintext)", () => {
  it.each(plaintextCases)("%s", (name) =>
    table.record("process plaintext", name, () =>
      expectCasePasses([`--server_host=127.0.0.1`, `--server_port=${plaintext.port}`, `--test_case=${name}`, "--use_tls=false"]),
    ),
  );
});

describe("client process -> server process (TLS)", () => {
  it.each(tlsCases)("%s", (name) =>
    table.record("process tls", name, () =>
      expectCasePasses([
        "--server_host=127.0.0.1",
        `--server_port=${tls.port}`,
        `--test_case=${name}`,
        "--use_tls=true",
        "--use_test_ca=true",
        "--server_host_override=foo.test.google.fr",
        "--default_service_account=ignored@example.com",
        "--oauth_scope=ignored",
      ]),
    ),
  );
});

describe("exit codes", () => {
  it("fails an unknown case with one line on stderr", async () => {
    const result = await runClientProcess([`--server_port=${plaintext.port}`, "--test_case=no_such_case"]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^no_such_case: FAILED: unknown test case/);
  });

  it("fails, without hanging, when TLS is not trusted (no --use_test_ca)", async () => {
    const result = await runClientProcess([`--server_port=${tls.port}`, "--test_case=empty_unary", "--use_tls=true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^empty_unary: FAILED: .*unavailable/);
  });

  it("rejects missing flags with exit code 2", async () => {
    const result = await runClientProcess(["--test_case=empty_unary"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--server_port is required/);
  });

  it("stops the server on SIGTERM with exit code 0", async () => {
    const server = await startServerProcess(["--use_tls=false"]);
    const result = await server.stop();
    expect([result.code, result.signal]).toEqual([0, null]);
  });
});
