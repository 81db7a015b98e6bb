import { closeClient } from "@stubwright/runtime";
import { createTestServiceClient, createUnimplementedServiceClient } from "../gen/src/proto/grpc/testing/test_grpc.js";
import { clientOptionsFor, targetOf, type InteropConnection } from "./connection.js";
import { InteropFailure } from "./interop-failure.js";
import { interopCases, isInteropCaseName, interopCaseNames } from "./test-cases.js";

/** Options for {@link runInteropCase}. */
export interface RunCaseOptions {
  /** Deadline of every call of the case, in ms (default 10 000). */
  readonly callTimeoutMs?: number | undefined;
  /** Bound on the whole case, in ms (default 30 000). */
  readonly caseTimeoutMs?: number | undefined;
}

/**
 * Runs one interop case against a server: resolves when it passed, rejects
 * with an {@link InteropFailure} (one-line reason) or the unexpected error
 * when it failed. Every call has a deadline, the whole case is bounded, and
 * every channel the case opened is closed before this settles.
 */
export async function runInteropCase(name: string, connection: InteropConnection, options: RunCaseOptions = {}): Promise<void> {
  if (!isInteropCaseName(name)) {
    throw new InteropFailure(`unknown test case "${name}"; known: ${interopCaseNames.join(" ")}`);
  }
  const target = targetOf(connection);
  const test = createTestServiceClient(target, clientOptionsFor(connection, false));
  const compressed = createTestServiceClient(target, clientOptionsFor(connection, true));
  const unimplemented = createUnimplementedServiceClient(target, clientOptionsFor(connection, false));
  const caseTimeoutMs = options.caseTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InteropFailure(`${name} did not finish within ${caseTimeoutMs} ms`)), caseTimeoutMs);
  });
  try {
    const run = interopCases[name]({ test, compressed, unimplemented, options: { timeoutMs: options.callTimeoutMs ?? 10_000 } });
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
    for (const client of [test, compressed, unimplemented]) {
      closeClient(client);
    }
  }
}
