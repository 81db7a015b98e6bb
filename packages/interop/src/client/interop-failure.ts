import { type Code, RpcError } from "@stubwright/runtime";
import { codeName } from "@stubwright/runtime/status";

/** A failed interop assertion; its message is the one-line reason the client prints. */
export class InteropFailure extends Error {
  override readonly name = "InteropFailure";
}

/** Fails the case with `reason` unless `condition` holds. */
export function check(condition: boolean, reason: string): asserts condition {
  if (!condition) {
    throw new InteropFailure(reason);
  }
}

/** Awaits a call that must fail with `code` and returns its error. */
export async function expectStatus(call: Promise<unknown>, code: Code, what: string): Promise<RpcError> {
  let outcome: unknown;
  try {
    await call;
  } catch (error) {
    outcome = error;
  }
  if (outcome === undefined) {
    throw new InteropFailure(`${what}: expected ${codeName(code)}, but the call succeeded`);
  }
  if (!(outcome instanceof RpcError)) {
    throw outcome;
  }
  check(outcome.code === code, `${what}: expected ${codeName(code)}, got ${codeName(outcome.code)} "${outcome.rawMessage}"`);
  return outcome;
}

/** Reads a whole response stream into an array. */
export async function collect<T>(responses: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const response of responses) {
    all.push(response);
  }
  return all;
}

/** Describes any error in one line, for stderr. */
export function describeError(error: unknown): string {
  const text = error instanceof InteropFailure ? error.message : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}
