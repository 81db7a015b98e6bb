import { Duplex } from "node:stream";
import { Code } from "../code.js";
import type { Metadata } from "../metadata.js";
import type { SendSingleResponse } from "../server/server-call.js";
import type { HttpExchange } from "./http-exchange.js";
import { peerOf } from "./http-exchange.js";

/** The longest timer Node arms; a deadline further away never fires in practice. */
const maxTimerMs = 2_147_483_647;

/** How a call ended: OK with the trailers, or a failed status (its trailers carry the status details). */
export interface CallStatus {
  readonly code: number;
  readonly details: string;
  readonly metadata?: Metadata | undefined;
}

/**
 * How a protocol answers one call: the response head, each serialized
 * response message, and the status. Every method takes the response headers
 * the handler set, for a head not sent yet.
 */
export interface ResponseSink {
  /** Sends the response head now (streaming responses), if not sent yet. */
  head(headers: Metadata | undefined): void;
  /** Sends one response message; false when the client is not reading (wait for "drain"). */
  message(bytes: Uint8Array, headers: Metadata | undefined): boolean;
  /** Ends the response with `status`. */
  end(status: CallStatus, headers: Metadata | undefined): void;
}

/** A call's HTTP exchange and how it is answered. */
export interface WebCallParts {
  readonly exchange: HttpExchange;
  readonly sink: ResponseSink;
  /** Turns what the dispatcher sends (bytes when it pre-serializes, else a message) into the bytes on the wire. */
  readonly encode: (response: unknown) => Uint8Array;
  /** True for a server-streaming method: the head goes out when the handler sends headers. */
  readonly streaming: boolean;
}

/**
 * The {@link ServerCall} of one gRPC-Web or Connect request, as the REST
 * gateway's is: what the server's dispatcher serves, so handlers,
 * interceptors, deadlines, propagation and the error policy are those of
 * gRPC. The client going away or the deadline passing emits "cancelled"; at
 * the deadline the client gets DEADLINE_EXCEEDED. Its protocol answers
 * through a {@link ResponseSink}. For methods whose client streams, its
 * readable side is the request stream the handler reads: the body reader
 * pushes the decoded messages and resumes the body on {@link onRequestDemand}.
 */
export class WebCall extends Duplex {
  request: unknown;
  readonly metadata: Metadata;
  private readonly deadline: Date | number;
  private headers: Metadata | undefined;
  private trailers: Metadata | undefined;
  /** Set by a failed status the dispatcher emitted: sent once the messages before it are. */
  private failure: CallStatus | undefined;
  /** True once the exchange has its outcome (a status sent, or the client gone). */
  private ended = false;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain: (() => void) | undefined;
  /** Called when the handler wants more request messages (the request stream's buffer drained). */
  onRequestDemand: (() => void) | undefined;

  constructor(
    private readonly parts: WebCallParts,
    metadata: Metadata,
    deadlineMs: number,
  ) {
    // Half open: the client's end of its requests never ends the response side.
    super({ objectMode: true, highWaterMark: 16, allowHalfOpen: true });
    this.metadata = metadata;
    this.deadline = deadlineMs === Infinity ? Infinity : new Date(deadlineMs);
    // The dispatcher ends a streaming call with a failed status by emitting "error" with it.
    this.on("error", (status: CallStatus) => {
      this.failure ??= status;
      if (!this.writableEnded) {
        super.end();
      }
    });
    parts.exchange.response.on("close", () => this.clientGone());
    const remainingMs = deadlineMs - Date.now();
    if (remainingMs < maxTimerMs) {
      this.timer = setTimeout(() => this.expire(), Math.max(0, remainingMs));
    }
  }

  getPeer(): string {
    return peerOf(this.parts.exchange.request);
  }

  getDeadline(): Date | number {
    return this.deadline;
  }

  sendMetadata(headers: Metadata): void {
    this.headers ??= headers;
    if (this.parts.streaming && !this.ended) {
      this.parts.sink.head(this.headers);
    }
  }

  /** The answer of a unary call (see {@link SendSingleResponse}). */
  readonly sendSingle: SendSingleResponse = (status, response, trailers) => {
    if (status !== null) {
      this.finish({ code: status.code ?? Code.UNKNOWN, details: status.details ?? "", metadata: status.metadata });
      return;
    }
    if (this.ended) {
      return;
    }
    const bytes = this.toBytes(response);
    if (bytes !== undefined) {
      this.parts.sink.message(bytes, this.headers);
      this.finish({ code: Code.OK, details: "", metadata: trailers });
    }
  };

  /** Ends the response stream with OK and `trailers`, once every message written is out. */
  override end(trailers?: unknown): this {
    this.trailers = isMetadata(trailers) ? trailers : undefined;
    super.end();
    return this;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.ended) {
      done();
      return;
    }
    const bytes = this.toBytes(chunk);
    if (bytes === undefined) {
      done();
    } else if (this.parts.sink.message(bytes, this.headers)) {
      done();
    } else {
      this.waitingForDrain = done;
      this.parts.exchange.response.once("drain", () => this.releaseWriter());
    }
  }

  override _read(): void {
    this.onRequestDemand?.();
  }

  /** True once the call has its outcome: request messages that arrive later are dropped. */
  get settled(): boolean {
    return this.ended;
  }

  /**
   * Ends the call with `status` because its request stream could not be read
   * (a malformed or oversized message): the handler's signal fires, so it
   * never mistakes the cut-off stream for a complete one.
   */
  failRequests(status: CallStatus): void {
    if (this.ended) {
      return;
    }
    this.finish(status);
    this.emit("cancelled");
    this.releaseWriter();
  }

  override _final(done: (error?: Error | null) => void): void {
    this.finish(this.failure ?? { code: Code.OK, details: "", metadata: this.trailers });
    done();
  }

  /** Serializes a response; one that does not serialize fails the call with INTERNAL. */
  private toBytes(response: unknown): Uint8Array | undefined {
    try {
      return this.parts.encode(response);
    } catch (error) {
      const tooLarge = (error as { code?: unknown }).code === Code.RESOURCE_EXHAUSTED;
      this.finish(
        tooLarge ? { code: Code.RESOURCE_EXHAUSTED, details: (error as Error).message } : { code: Code.INTERNAL, details: "Failed to serialize the response" },
      );
      this.emit("cancelled");
      return undefined;
    }
  }

  /** Sends the call's status (once). */
  private finish(status: CallStatus): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearTimeout(this.timer);
    this.parts.sink.end(status, this.headers);
  }

  private expire(): void {
    this.finish({ code: Code.DEADLINE_EXCEEDED, details: "Deadline exceeded" });
    this.emit("cancelled");
    this.releaseWriter();
  }

  /** The connection closed before the call ended: the client cancelled. */
  private clientGone(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    clearTimeout(this.timer);
    this.emit("cancelled");
    this.releaseWriter();
  }

  private releaseWriter(): void {
    const done = this.waitingForDrain;
    this.waitingForDrain = undefined;
    done?.();
  }
}

function isMetadata(value: unknown): value is Metadata {
  return typeof value === "object" && value !== null && typeof (value as Metadata).getMap === "function" && typeof (value as Metadata).toJSON === "function";
}
