import { Metadata } from "@grpc/grpc-js";
import type { Metadata as AnyMetadata } from "../../metadata.js";
import { Duplex, Readable } from "node:stream";
import { Code } from "../../code.js";
import type { MethodDefinition } from "../../method-definition.js";
import type { SendSingleResponse } from "../../server/server-call.js";
import { callStatusError, type CallStatus, type SingleResponseCallback } from "../transport.js";
import { overTheWire } from "./wire-metadata.js";

/** Messages each direction of a stream buffers before its writer must wait. */
const inMemoryWindow = 16;

/** The longest timer Node arms; a deadline further away never fires in practice. */
const maxTimerMs = 2_147_483_647;

/** The two methods of a call: the client's (its codec) and the server's (its codec). */
export interface CallMethods {
  readonly client: MethodDefinition;
  readonly server: MethodDefinition;
  /** True when the server's dispatcher hands responses over as bytes. */
  readonly preSerialized: boolean;
}

/**
 * One in-memory call: the client's end (what the client core drives) and the
 * server's end (the ServerCall the dispatcher serves), joined by bounded
 * buffers in both directions. Every message crosses as bytes, through both
 * sides' codecs, so neither side can touch the other's objects. One timer
 * enforces the deadline for both sides.
 */
export class InMemoryCall {
  readonly client: ClientEnd;
  readonly server: ServerEnd;
  /** The final status, once the call has one. */
  private status: CallStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private headersSent = false;

  constructor(
    readonly methods: CallMethods,
    metadata: AnyMetadata,
    readonly deadlineMs: number,
    private readonly callback: SingleResponseCallback | undefined,
  ) {
    this.client = new ClientEnd(this);
    this.server = new ServerEnd(this, overTheWire(metadata), deadlineMs);
    const remainingMs = deadlineMs - Date.now();
    if (remainingMs < maxTimerMs) {
      this.timer = setTimeout(() => this.abort(Code.DEADLINE_EXCEEDED, "Deadline exceeded"), Math.max(0, remainingMs));
    }
  }

  get ended(): boolean {
    return this.status !== undefined;
  }

  /** Ends the call from outside the server (client cancel, expiry, a bad message): the server hears "cancelled". */
  abort(code: Code, message: string): void {
    if (this.ended) {
      return;
    }
    this.finish({ code, details: message, metadata: new Metadata() }, undefined);
    // At once, before a write waiting for room completes: a handler whose
    // writes were then dropped could otherwise run to its end in microtasks
    // and take the call for a success.
    this.server.emit("cancelled");
    this.server.releaseWriter();
  }

  /** Sends the response headers once, before the first message or the status. */
  sendHeaders(headers: Metadata): void {
    if (this.headersSent || this.ended) {
      return;
    }
    this.headersSent = true;
    const copy = overTheWire(headers);
    process.nextTick(() => this.client.emit("metadata", copy));
  }

  /** The server's answer of a call answered by one message (see {@link SendSingleResponse}). */
  readonly sendSingle: SendSingleResponse = (status, response, trailers) => {
    if (this.ended) {
      return;
    }
    if (status !== null) {
      this.finish({ code: status.code ?? Code.UNKNOWN, details: status.details ?? "", metadata: overTheWire(status.metadata ?? new Metadata()) }, undefined);
      return;
    }
    let message: unknown;
    try {
      message = this.decodeResponse(response);
    } catch {
      this.abort(Code.INTERNAL, "Failed to parse server response");
      return;
    }
    this.sendHeaders(new Metadata());
    this.finish({ code: Code.OK, details: "OK", metadata: overTheWire(trailers ?? new Metadata()) }, message);
  };

  /** Encodes a request with the client's codec and decodes it with the server's. */
  decodeRequest(request: unknown): unknown {
    return this.methods.server.requestDeserialize(this.methods.client.requestSerialize(request as never));
  }

  /** Turns what the server's dispatcher sent into the client's message, through bytes. */
  decodeResponse(response: unknown): unknown {
    const bytes = this.methods.preSerialized ? (response as Buffer) : this.methods.server.responseSerialize(response as never);
    return this.methods.client.responseDeserialize(bytes);
  }

  /** Records the final status and delivers it to the client, after every message already sent. */
  finish(status: CallStatus, response: unknown): void {
    if (this.ended) {
      return;
    }
    this.status = status;
    clearTimeout(this.timer);
    process.nextTick(() => this.deliver(status, response));
  }

  private deliver(status: CallStatus, response: unknown): void {
    const failed = status.code !== Code.OK;
    const error = failed ? callStatusError(status) : null;
    if (this.callback !== undefined) {
      this.callback(error, failed ? undefined : response);
    } else {
      this.client.push(null);
      if (error !== null) {
        this.client.emit("error", error);
      }
    }
    this.client.emit("status", status);
  }
}

/** The client's end of an in-memory call: response messages (a Readable) and the request sink. */
class ClientEnd extends Readable {
  /** True while a request write was refused, until the server reads on ("drain"). */
  needDrain = false;

  constructor(private readonly call: InMemoryCall) {
    super({ objectMode: true, highWaterMark: inMemoryWindow });
    // The core listens to "error" while the call runs; this one keeps a late emit harmless.
    this.on("error", ignore);
  }

  override _read(): void {
    this.call.server.releaseWriter();
  }

  cancel(): void {
    this.call.abort(Code.CANCELLED, "Cancelled on client");
  }

  /** Sends one request (see `RequestSink.write`); false asks the writer to wait for "drain". */
  write(message: unknown): boolean {
    if (this.call.ended) {
      return true;
    }
    let decoded: unknown;
    try {
      decoded = this.call.decodeRequest(message);
    } catch (error) {
      this.call.abort(Code.INTERNAL, `Request message serialization failure: ${error instanceof Error ? error.message : String(error)}`);
      return true;
    }
    const more = this.call.server.push(decoded);
    this.needDrain ||= !more;
    return more;
  }

  /** The client's half-close: the server's request stream ends after the messages sent. */
  end(): this {
    if (!this.call.ended) {
      this.call.server.push(null);
    }
    return this;
  }
}

/**
 * The server's end of an in-memory call: a {@link ServerCall} whose
 * readable side is the request stream and whose writable side takes the
 * dispatcher's responses. A write is done only once the client's buffer has
 * room, so a slow reader holds the handler back.
 */
class ServerEnd extends Duplex {
  request: unknown;
  readonly metadata: Metadata;
  private readonly deadline: Date | number;
  /** Set by a failed status the dispatcher emitted: sent once the messages before it are. */
  private failure: CallStatus | undefined;
  private trailers: Metadata | undefined;
  private pendingWrite: (() => void) | undefined;

  constructor(
    private readonly call: InMemoryCall,
    metadata: Metadata,
    deadlineMs: number,
  ) {
    super({ objectMode: true, readableHighWaterMark: inMemoryWindow, writableHighWaterMark: inMemoryWindow });
    this.metadata = metadata;
    this.deadline = deadlineMs === Infinity ? Infinity : new Date(deadlineMs);
    // The dispatcher ends a streaming call with a failed status by emitting "error" with it.
    this.on("error", (status: { code?: number; details?: string; metadata?: Metadata }) => {
      this.failure ??= { code: status.code ?? Code.UNKNOWN, details: status.details ?? "", metadata: overTheWire(status.metadata ?? new Metadata()) };
      if (!this.writableEnded) {
        super.end();
      }
    });
  }

  getPeer(): string {
    return "in-memory";
  }

  getDeadline(): Date | number {
    return this.deadline;
  }

  sendMetadata(headers: Metadata): void {
    this.call.sendHeaders(headers);
  }

  override _read(): void {
    const client = this.call.client;
    if (client.needDrain) {
      client.needDrain = false;
      process.nextTick(() => client.emit("drain"));
    }
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.call.ended) {
      done();
      return;
    }
    let message: unknown;
    try {
      message = this.call.decodeResponse(chunk);
    } catch {
      this.call.abort(Code.INTERNAL, "Failed to parse server response");
      done();
      return;
    }
    this.call.sendHeaders(new Metadata());
    if (this.call.client.push(message)) {
      done();
    } else {
      this.pendingWrite = done;
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    this.call.finish(this.failure ?? { code: Code.OK, details: "OK", metadata: overTheWire(this.trailers ?? new Metadata()) }, undefined);
    done();
  }

  /** Lets a write waiting for room in the client's buffer complete. */
  releaseWriter(): void {
    const done = this.pendingWrite;
    this.pendingWrite = undefined;
    done?.();
  }

  /** Ends the response stream with OK and `trailers`, once every message written is delivered. */
  override end(trailers?: unknown): this {
    this.trailers = trailers instanceof Metadata ? trailers : undefined;
    super.end();
    return this;
  }
}

function ignore(): void {}
