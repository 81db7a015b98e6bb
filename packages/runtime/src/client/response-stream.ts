import type { Readable } from "node:stream";
import type { PreparedCall } from "./prepared-call.js";

/** A started response stream: the grpc-js call and its Stubwright bookkeeping. */
export interface StartedStream {
  readonly stream: Readable & { cancel(): void };
  readonly call: PreparedCall;
  /** The error to report instead of the stream's own, e.g. a failed request stream. */
  readonly requestFailure?: (() => unknown) | undefined;
}

/**
 * Yields the messages of a grpc-js response stream. `start` makes the call on
 * the first `next()`, so a stream that is never iterated never reaches the
 * network. Failures arrive as RpcError; a consumer that stops early (break,
 * return, throw) cancels the call so the server stops sending.
 */
export function readResponses<T>(start: () => StartedStream): AsyncGenerator<T, void, undefined> {
  return new ResponseReader<T>(start);
}

type Settle<T> = { resolve(result: IteratorResult<T, void>): void; reject(error: unknown): void };

/**
 * An async iterator that reads the grpc-js stream directly: a buffered
 * message is returned at once, otherwise one promise waits for the next
 * "readable", "end" or "error". An async generator wrapping the stream's own
 * async iterator (what this replaces) cost two more generator layers, each
 * with its promises and microtask turns, on every message. Overlapping
 * `next()` calls queue as waiters rather than chaining on each other's
 * promises: a chain cost one more promise per message, and on Node 20 every
 * promise runs AsyncLocalStorage's hooks once any context was entered.
 */
class ResponseReader<T> implements AsyncGenerator<T, void, undefined> {
  private started: StartedStream | undefined;
  private done = false;
  /** The stream's end ("end") or failure ("error"), once seen. */
  private outcome: { readonly error: unknown } | undefined;
  /** The `next()` calls waiting for a message, oldest first. */
  private readonly waiters: Settle<T>[] = [];
  private readonly onReadable = (): void => {
    const { waiters } = this;
    while (waiters.length > 0) {
      const message: unknown = this.started?.stream.read() ?? null;
      if (message === null) {
        return;
      }
      waiters.shift()!.resolve({ value: message as T, done: false });
    }
  };
  private readonly onEnd = (): void => {
    this.outcome ??= { error: undefined };
    this.settleWaiter();
  };
  private readonly onError = (error: unknown): void => {
    this.outcome ??= { error };
    this.settleWaiter();
  };

  constructor(private readonly start: () => StartedStream) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  next(): Promise<IteratorResult<T, void>> {
    // Like a generator, overlapping calls are served in order: behind an
    // earlier waiter, a call waits too, even if a message is buffered.
    if (this.waiters.length > 0 && !this.done) {
      return this.wait();
    }
    return this.pull();
  }

  return(): Promise<IteratorResult<T, void>> {
    if (!this.done) {
      this.finish(this.started !== undefined && this.outcome === undefined);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T, void>> {
    if (!this.done) {
      this.finish(this.started !== undefined && this.outcome === undefined);
    }
    return Promise.reject(error);
  }

  private pull(): Promise<IteratorResult<T, void>> {
    if (this.done) {
      return Promise.resolve({ value: undefined, done: true });
    }
    let started = this.started;
    if (started === undefined) {
      try {
        started = this.started = this.start();
      } catch (error) {
        this.done = true;
        return Promise.reject(error);
      }
      started.stream.on("readable", this.onReadable);
      started.stream.on("end", this.onEnd);
      started.stream.on("error", this.onError);
    }
    // Buffered messages come first, also after a failure: the server sent them.
    const message: unknown = started.stream.read();
    if (message !== null) {
      return Promise.resolve({ value: message as T, done: false });
    }
    if (this.outcome !== undefined) {
      return this.conclude();
    }
    return this.wait();
  }

  private wait(): Promise<IteratorResult<T, void>> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** Gives the oldest waiter the outcome; `finish` ends the others. */
  private settleWaiter(): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      this.conclude().then(waiter.resolve, waiter.reject);
    }
  }

  /** Ends iteration with the stream's outcome: done, or its error as an RpcError. */
  private conclude(): Promise<IteratorResult<T, void>> {
    const { call, requestFailure } = this.started!;
    const error = this.outcome?.error;
    this.finish(false);
    if (error === undefined) {
      return Promise.resolve({ value: undefined, done: true });
    }
    return Promise.reject(call.toError(requestFailure?.() ?? error));
  }

  /** Stops listening, cancels the call when it is cut short, and ends it. */
  private finish(cancel: boolean): void {
    this.done = true;
    const started = this.started;
    if (started === undefined) {
      return;
    }
    started.stream.off("readable", this.onReadable);
    started.stream.off("end", this.onEnd);
    started.stream.off("error", this.onError);
    if (cancel) {
      started.stream.cancel();
    }
    started.call.end();
    // next() calls still waiting (return() called meanwhile) complete.
    for (const waiter of this.waiters.splice(0)) {
      waiter.resolve({ value: undefined, done: true });
    }
  }
}
