import type { ResponseStream } from "../transports/transport.js";
import type { PreparedCall } from "./prepared-call.js";

/** A started response stream: the transport's call and its Stubwright bookkeeping. */
export interface StartedStream {
  readonly stream: ResponseStream;
  readonly call: PreparedCall;
  /** The error to report instead of the stream's own, e.g. a failed request stream. */
  readonly requestFailure?: (() => unknown) | undefined;
}

/**
 * Yields the messages of a transport's response stream. `start` makes the call on
 * the first `next()`, so a stream that is never iterated never reaches the
 * network. Failures arrive as RpcError; a consumer that stops early (break,
 * return, throw) cancels the call so the server stops sending.
 */
export function readResponses<T>(start: () => StartedStream): AsyncGenerator<T, void, undefined> {
  return new ResponseReader<T>(start);
}

type Settle<T> = { resolve(result: IteratorResult<T, void>): void; reject(error: unknown): void };

/** Messages queued before the stream is paused; it resumes at half of it. */
const queueLimit = 16;

/**
 * An async iterator over the grpc-js stream's "data" events: a queued
 * message is returned at once, otherwise one promise waits for the next
 * message, "end" or "error". The queue is bounded: the stream pauses at
 * `queueLimit` messages (so HTTP/2 flow control holds the server back) and
 * resumes as the consumer catches up. Reading with `read()` on "readable"
 * instead cost a `process.nextTick` and more per message, which was all of
 * Stubwright's streaming overhead over grpc-js on Node 24 (BENCHMARKS.md).
 * Overlapping `next()` calls queue as waiters rather than chaining on each
 * other's promises: a chain cost one more promise per message.
 */
class ResponseReader<T> implements AsyncGenerator<T, void, undefined> {
  private started: StartedStream | undefined;
  private done = false;
  private paused = false;
  /** Set by "end": every message the stream had has been delivered. */
  private ended = false;
  /** The stream's end ("end") or failure ("error"), once seen. */
  private outcome: { readonly error: unknown } | undefined;
  /** Messages received and not yet taken, oldest first. */
  private readonly queue: unknown[] = [];
  /** The `next()` calls waiting for a message, oldest first (only while the queue is empty). */
  private readonly waiters: Settle<T>[] = [];
  private readonly onData = (message: unknown): void => {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve({ value: message as T, done: false });
      return;
    }
    this.queue.push(message);
    if (this.queue.length >= queueLimit && !this.paused) {
      this.paused = true;
      this.started?.stream.pause();
    }
  };
  private readonly onEnd = (): void => {
    this.ended = true;
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
      started.stream.on("data", this.onData);
      started.stream.on("end", this.onEnd);
      started.stream.on("error", this.onError);
    }
    // Queued messages come first, also after a failure: the server sent them.
    if (this.queue.length > 0) {
      const message = this.queue.shift();
      if (this.queue.length <= queueLimit / 2) {
        this.resume();
      }
      return Promise.resolve({ value: message as T, done: false });
    }
    if (this.mayConclude()) {
      return this.conclude();
    }
    return this.wait();
  }

  private resume(): void {
    if (this.paused) {
      this.paused = false;
      this.started?.stream.resume();
    }
  }

  /**
   * True once the outcome is known and every message before it was taken.
   * grpc-js ends the stream before it emits "error", so messages a paused
   * stream still buffers at a failure flow in as the consumer takes queued
   * ones (which resumes the stream), and "end" follows the last of them.
   */
  private mayConclude(): boolean {
    return this.outcome !== undefined && this.queue.length === 0 && (this.ended || this.started?.stream.readableLength === 0);
  }

  private wait(): Promise<IteratorResult<T, void>> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  /** Gives the oldest waiter the outcome, if it may be given now; `finish` ends the others. */
  private settleWaiter(): void {
    if (this.waiters.length === 0 || !this.mayConclude()) {
      return;
    }
    const waiter = this.waiters.shift()!;
    this.conclude().then(waiter.resolve, waiter.reject);
  }

  /**
   * Ends iteration with the stream's outcome: done, or its error as an
   * RpcError; a clean end fails too if a callback of the call threw.
   */
  private conclude(): Promise<IteratorResult<T, void>> {
    const { call, requestFailure } = this.started!;
    const error = this.outcome?.error;
    this.finish(false);
    if (error !== undefined) {
      return Promise.reject(call.toError(requestFailure?.() ?? error));
    }
    return call.failure === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(call.failure);
  }

  /** Stops listening, cancels the call when it is cut short, and ends it. */
  private finish(cancel: boolean): void {
    this.done = true;
    const started = this.started;
    if (started === undefined) {
      return;
    }
    started.stream.off("data", this.onData);
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
