import type { Readable } from "node:stream";
import { Code } from "../code.js";
import type { AbortFollower, PropagatedCall } from "../propagation.js";
import { RpcError } from "../rpc-error.js";

/**
 * The request stream a handler reads (client streaming and bidi). When the
 * call is cancelled or its deadline passes, reading fails with the matching
 * RpcError instead of ending normally, so a handler never mistakes a cut-off
 * stream for a complete one. Stopping early (break, return, throw) stops
 * reading but leaves the stream alone: for a bidi call, destroying it would
 * kill the response side too.
 */
export function readRequests(stream: Readable, inbound: PropagatedCall): AsyncGenerator<unknown, void, undefined> {
  return new RequestReader(stream, inbound);
}

type Settle = { resolve(result: IteratorResult<unknown, void>): void; reject(error: unknown): void };

const doneResult: IteratorResult<unknown, void> = Object.freeze({ value: undefined, done: true });

/**
 * An async iterator that reads the grpc-js stream directly with `read()`
 * (which keeps its backpressure: grpc-js reads on from the network only as
 * the buffer drains): a buffered message is returned at once, otherwise one
 * promise waits for the next "readable", "end", "close" or abort. An async
 * generator over the stream's own async iterator (what this replaces) cost
 * two generator layers, with their promises and microtask turns, per message.
 * It follows the inbound call itself rather than the handler's signal, which
 * would cost every streaming call an AbortController and its listener.
 */
class RequestReader implements AsyncGenerator<unknown, void, undefined>, AbortFollower {
  private started = false;
  private done = false;
  /** How the stream ended ("end": no error; failure or abort: the error), once known. */
  private outcome: { readonly error: unknown } | undefined;
  /** The `next()` calls waiting, oldest first. */
  private readonly waiters: Settle[] = [];
  /** The conclusion of reading, once reached; later `next()` calls wait for it. */
  private ending: Promise<IteratorResult<unknown, void>> | undefined;
  private readonly onReadable = (): void => {
    while (this.waiters.length > 0) {
      const message = this.read();
      if (message === null) {
        return;
      }
      this.waiters.shift()!.resolve({ value: message, done: false });
    }
  };
  private readonly onEnd = (): void => {
    this.reach({ error: undefined });
  };
  private readonly onError = (error: unknown): void => {
    this.reach({ error });
  };
  private readonly onClose = (): void => {
    // Closed without "end" or "error": cut off, never complete.
    this.reach({ error: this.abortError() });
  };

  constructor(
    private readonly stream: Readable,
    private readonly inbound: PropagatedCall,
  ) {}

  /**
   * The call was cancelled, expired or ended by a shutdown. The stream is
   * left alone: a shutdown then sends the call's status, which a destroyed
   * bidi stream could no longer carry.
   */
  inboundAborted(reason: RpcError): void {
    this.reach({ error: reason });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  next(): Promise<IteratorResult<unknown, void>> {
    if (this.done) {
      return this.ending === undefined ? Promise.resolve(doneResult) : this.ending.then(toDone, toDone);
    }
    if (!this.started) {
      this.start();
    }
    if (this.waiters.length === 0) {
      const message = this.read();
      if (message !== null) {
        return Promise.resolve({ value: message, done: false });
      }
      if (this.outcome !== undefined) {
        return this.conclude();
      }
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  return(): Promise<IteratorResult<unknown, void>> {
    this.stop();
    return Promise.resolve(doneResult);
  }

  throw(error: unknown): Promise<IteratorResult<unknown, void>> {
    this.stop();
    return Promise.reject(error);
  }

  private start(): void {
    this.started = true;
    const { stream } = this;
    stream.on("readable", this.onReadable);
    stream.on("end", this.onEnd);
    // Never removed: destroy() emits "error", and an unheard "error" would crash the process.
    stream.on("error", this.onError);
    stream.on("close", this.onClose);
    // Told at once when the call has ended early already.
    this.inbound.follow(this);
    if (this.outcome !== undefined) {
      return;
    }
    if (stream.readableEnded) {
      this.onEnd();
    } else if (stream.destroyed) {
      this.onClose();
    }
  }

  /** The next buffered message, or null; nothing once the stream is destroyed. */
  private read(): unknown {
    return this.stream.destroyed ? null : this.stream.read();
  }

  /** Records how the stream ended (first outcome wins) and answers the waiting `next()`. */
  private reach(outcome: { readonly error: unknown }): void {
    if (this.outcome !== undefined || this.done) {
      return;
    }
    this.outcome = outcome;
    const waiters = this.waiters.splice(0);
    const [first, ...rest] = waiters;
    if (first === undefined) {
      return;
    }
    const ending = this.conclude();
    ending.then(first.resolve, first.reject);
    for (const waiter of rest) {
      ending.then(toDone, toDone).then(waiter.resolve);
    }
  }

  /**
   * Ends iteration with the outcome: done, or the error. The end is the
   * client's half-close as grpc-js reports it (after the server's
   * `checkHalfClose` interceptor), unless the call was cancelled meanwhile.
   */
  private conclude(): Promise<IteratorResult<unknown, void>> {
    this.done = true;
    this.unlisten();
    const error = this.outcome?.error ?? this.inbound.abortReason;
    this.ending = error === undefined ? Promise.resolve(doneResult) : Promise.reject(error);
    return this.ending;
  }

  /** Stops reading (return/throw): listeners off, waiting `next()` calls done, stream untouched. */
  private stop(): void {
    if (this.done) {
      return;
    }
    this.done = true;
    this.unlisten();
    for (const waiter of this.waiters.splice(0)) {
      waiter.resolve(doneResult);
    }
  }

  private unlisten(): void {
    if (!this.started) {
      return;
    }
    const { stream } = this;
    this.inbound.unfollow(this);
    stream.off("readable", this.onReadable);
    stream.off("end", this.onEnd);
    stream.off("close", this.onClose);
  }

  private abortError(): Error {
    return this.inbound.abortReason ?? new RpcError(Code.CANCELLED);
  }
}

function toDone(): IteratorResult<unknown, void> {
  return doneResult;
}
