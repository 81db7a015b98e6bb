import { performance } from "node:perf_hooks";
import { codeName, type Code } from "../code.js";
import type { MethodInfo } from "../method-info.js";
import { observeOutcome } from "./call-outcome.js";
import type { InterceptedCall, Next, UniversalInterceptor } from "./interceptor.js";

/** What the logging interceptor reports about one finished call. */
export interface CallLogEntry {
  /** The method called (`method.path` is e.g. `/pkg.Service/Method`). */
  readonly method: MethodInfo;
  /** The status code the call ended with (on a server: the one the client received). */
  readonly code: Code;
  /** Milliseconds from the start of the call to its end (for streams: the end of the stream). */
  readonly durationMs: number;
  /** What the call failed with; `undefined` on success. */
  readonly error: unknown;
}

/** Options for {@link loggingInterceptor}. */
export interface LoggingOptions {
  /** Receives one entry per call; defaults to one line on stderr. */
  readonly log?: ((entry: CallLogEntry) => void) | undefined;
}

/**
 * An interceptor for clients and servers that times every call, streams
 * included, and reports method, status and duration when it ends.
 */
export function loggingInterceptor(options: LoggingOptions = {}): UniversalInterceptor {
  const log = options.log ?? logLine;
  return <C extends InterceptedCall>(next: Next<C>): Next<C> =>
    (call) => {
      const started = performance.now();
      return observeOutcome(
        call,
        Promise.resolve().then(() => next(call)),
        (error, code) => {
          log({
            method: call.method,
            code,
            durationMs: performance.now() - started,
            error,
          });
        },
      );
    };
}

function logLine(entry: CallLogEntry): void {
  console.error(`[stubwright] ${entry.method.path} ${codeName(entry.code)} ${entry.durationMs.toFixed(1)}ms`);
}
