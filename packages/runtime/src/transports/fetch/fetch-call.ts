import { Code } from "../../code.js";
import { createMetadata, type Metadata } from "../../metadata.js";
import type { MethodDefinition } from "../../method-definition.js";
import { callStatusError, type CallStatus, type SingleResponseCallback } from "../transport.js";
import { CallEvents } from "./call-events.js";
import { compressedFlag, encodeEnvelope, EnvelopeParser, type Envelope } from "../../protocol-envelope/envelope.js";
import { gunzip } from "./gunzip.js";
import type { MessageFormat } from "./message-format.js";

/** Request messages a streamed request body buffers before a writer must wait for "drain". */
const requestWindow = 16;

/** The longest timer browsers and Node arm; a deadline further away never fires in practice. */
const maxTimerMs = 2_147_483_647;

/** What a protocol needs to build the HTTP request of one call. */
export interface RequestSpec {
  readonly method: MethodDefinition;
  /** The serialized request message, not yet framed; empty for streamed requests (see `body`). */
  readonly payload: Uint8Array;
  /** For client and bidi streaming: the request body, enveloped messages written as the caller sends them. */
  readonly body?: ReadableStream<Uint8Array> | undefined;
  readonly metadata: Metadata;
  /** The time left until the deadline, `undefined` for none; at least 1. */
  readonly timeoutMs: number | undefined;
}

/**
 * How a protocol's response begins: complete already (an error, a
 * trailers-only answer, a Connect unary response with its single message),
 * or a body of enveloped messages ending with a status envelope.
 */
export type ResponseHead =
  | { readonly kind: "complete"; readonly headers: Metadata | undefined; readonly status: CallStatus; readonly payload?: Uint8Array | undefined }
  | {
      readonly kind: "envelopes";
      readonly headers: Metadata;
      readonly body: ReadableStream<Uint8Array>;
      /** True when the response says its flagged messages are gzip. */
      readonly gzip?: boolean | undefined;
    };

/**
 * The wire part of one protocol over fetch (Connect, gRPC-Web): how it asks
 * and how it answers. Everything else — deadlines, cancellation,
 * backpressure, framing — is the same for both, in {@link FetchCall}.
 */
export interface FetchProtocol {
  /** The protocol's name, for error messages. */
  readonly name: string;
  /** The envelope flag that marks the envelope carrying the status at the end of a body. */
  readonly endFlag: number;
  /** Builds the request of a call; `streaming` is true for every kind of call but unary. */
  createRequest(spec: RequestSpec, streaming: boolean): { readonly url: string; readonly init: RequestInit };
  /** Reads the start of the response; rejects only if reading the body fails. */
  readHead(response: Response, streaming: boolean): Promise<ResponseHead>;
  /** The status an end envelope carries; throws for one that does not parse. */
  readEnd(payload: Uint8Array): CallStatus;
}

/** What every call of a fetch transport shares. */
export interface FetchCallContext {
  readonly protocol: FetchProtocol;
  readonly format: MessageFormat;
  readonly fetch: typeof globalThis.fetch;
  /** The largest response message accepted (RESOURCE_EXHAUSTED beyond). */
  readonly maxResponseBytes: number;
}

/**
 * One call over fetch, as the client core drives it (the events of
 * `TransportCall`, `ResponseStream` and, for calls refused at once,
 * `RequestSink`). The response body is read as it arrives and split into
 * envelopes; while the core has paused the call, the body is not read, so
 * the server is held back by the connection's flow control. A deadline
 * expiry or `cancel()` aborts the fetch.
 */
export class FetchCall extends CallEvents {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;
  private bodyDone = false;
  private paused = false;
  private wakeUp: (() => void) | undefined;
  /** The request body of a streamed request, while it is open. */
  private requests: ReadableStreamDefaultController<Uint8Array> | undefined;
  /** True while a request write was refused room, until the body is read on ("drain"). */
  private needDrain = false;
  /** Complete envelopes received and not yet handled, oldest first. */
  private readonly queue: Envelope[] = [];
  /** The response of a call answered by one message, once received. */
  private response: unknown;
  private responses = 0;

  constructor(
    private readonly context: FetchCallContext,
    private readonly method: MethodDefinition,
    private readonly callback: SingleResponseCallback | undefined,
  ) {
    super();
  }

  /** Response messages received and not yet delivered (while paused). */
  get readableLength(): number {
    return this.queue.length;
  }

  /**
   * Sends the call: serializes `request`, arms the deadline and starts the
   * fetch. Reports every failure as the call's status, never by throwing.
   */
  start(request: unknown, metadata: Metadata, deadlineMs: number, resolvedAtMs: number | undefined): this {
    let payload: Uint8Array;
    try {
      payload = this.context.format.encode(this.method, request);
    } catch (error) {
      return this.fail(Code.INTERNAL, `Request message serialization failure: ${errorMessage(error)}`);
    }
    return this.send(payload, undefined, metadata, deadlineMs, resolvedAtMs);
  }

  /**
   * Sends a call whose requests are streamed (client and bidi streaming):
   * the request body is a stream of the messages passed to {@link write},
   * closed by {@link end}, sent half-duplex (`duplex: "half"`).
   */
  startStreaming(metadata: Metadata, deadlineMs: number, resolvedAtMs: number | undefined): this {
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.requests = controller;
        },
        pull: () => this.drained(),
      },
      { highWaterMark: requestWindow },
    );
    return this.send(new Uint8Array(0), body, metadata, deadlineMs, resolvedAtMs);
  }

  private send(
    payload: Uint8Array,
    body: ReadableStream<Uint8Array> | undefined,
    metadata: Metadata,
    deadlineMs: number,
    resolvedAtMs: number | undefined,
  ): this {
    const { protocol } = this.context;
    let timeoutMs: number | undefined;
    if (deadlineMs !== Infinity) {
      timeoutMs = Math.max(1, Math.ceil(deadlineMs - (resolvedAtMs ?? Date.now())));
      const remainingMs = deadlineMs - Date.now();
      if (remainingMs < maxTimerMs) {
        this.timer = setTimeout(() => this.fail(Code.DEADLINE_EXCEEDED, "Deadline exceeded"), Math.max(0, remainingMs));
      }
    }
    let built: { readonly url: string; readonly init: RequestInit };
    try {
      built = protocol.createRequest({ method: this.method, payload, body, metadata, timeoutMs }, this.method.kind !== "unary");
    } catch (error) {
      return this.fail(Code.INTERNAL, `Invalid request: ${errorMessage(error)}`);
    }
    let response: Promise<Response>;
    try {
      const init: RequestInit = { ...built.init, signal: this.controller.signal };
      response = this.context.fetch(built.url, body === undefined ? init : ({ ...init, duplex: "half" } as RequestInit));
    } catch (error) {
      response = Promise.reject(error);
    }
    response
      .then(
        (received) => this.receive(received),
        (error: unknown) => void this.fail(Code.UNAVAILABLE, `${protocol.name} request failed: ${errorMessage(error)}`),
      )
      // A listener that throws while the response is read fails the call rather than the process.
      .catch((error: unknown) => this.fail(Code.INTERNAL, `${protocol.name} response handling failed: ${errorMessage(error)}`));
    return this;
  }

  /** Ends the call with CANCELLED, aborting the fetch; a no-op once the call has ended. */
  cancel(): void {
    this.fail(Code.CANCELLED, "Cancelled on client");
  }

  /** Stops reading the response body until {@link resume}. */
  pause(): this {
    this.paused = true;
    return this;
  }

  /** Reads the response body on, after {@link pause}. */
  resume(): this {
    this.paused = false;
    const wakeUp = this.wakeUp;
    this.wakeUp = undefined;
    wakeUp?.();
    return this;
  }

  /**
   * Sends one request of a streamed call; false asks the writer to wait for
   * "drain". Once the call has ended (or for a call refused at once) the
   * message is dropped.
   */
  write(message: unknown): boolean {
    const requests = this.requests;
    if (this.finished || requests === undefined) {
      return true;
    }
    let payload: Uint8Array;
    try {
      payload = this.context.format.encode(this.method, message);
    } catch (error) {
      this.fail(Code.INTERNAL, `Request message serialization failure: ${errorMessage(error)}`);
      return true;
    }
    requests.enqueue(encodeEnvelope(0, payload));
    const room = (requests.desiredSize ?? 0) > 0;
    this.needDrain ||= !room;
    return room;
  }

  /** The half-close of a streamed call: the request body ends after the messages written. */
  end(): this {
    const requests = this.requests;
    this.requests = undefined;
    if (!this.finished) {
      requests?.close();
    }
    return this;
  }

  /** Called as the request body is read: lets a writer that was refused room write on. */
  private drained(): void {
    if (this.needDrain) {
      this.needDrain = false;
      queueMicrotask(() => this.emit("drain"));
    }
  }

  /** Ends the call with `code` and `message` (trailers empty); a no-op once it has ended. */
  fail(code: Code, message: string): this {
    this.finish({ code, details: message, metadata: createMetadata() });
    return this;
  }

  private async receive(response: Response): Promise<void> {
    if (this.finished) {
      return;
    }
    const streaming = this.method.kind !== "unary";
    let head: ResponseHead;
    try {
      head = await this.context.protocol.readHead(response, streaming);
    } catch (error) {
      this.fail(Code.UNAVAILABLE, `${this.context.protocol.name} response failed: ${errorMessage(error)}`);
      return;
    }
    if (this.finished) {
      return;
    }
    if (head.headers !== undefined) {
      this.emit("metadata", head.headers);
    }
    if (head.kind === "envelopes") {
      await this.pump(head.body, head.gzip === true);
      return;
    }
    this.bodyDone = true;
    if (head.payload !== undefined && head.status.code === (Code.OK as number)) {
      this.deliver({ flags: 0, payload: head.payload });
    }
    this.finish(head.status);
  }

  /** Reads the body into envelopes and handles them, waiting while paused, until the call ends. */
  private async pump(body: ReadableStream<Uint8Array>, gzip: boolean): Promise<void> {
    const reader = body.getReader();
    const parser = new EnvelopeParser(this.context.maxResponseBytes);
    try {
      while (!this.finished) {
        this.drain();
        if (this.finished) {
          return;
        }
        if (this.paused) {
          await new Promise<void>((resolve) => {
            this.wakeUp = resolve;
          });
          continue;
        }
        const { done, value } = await reader.read();
        if (this.finished) {
          return;
        }
        if (done) {
          this.bodyDone = true;
          const ending = parser.pendingBytes > 0 ? "in the middle of a message" : "without a status";
          this.fail(Code.INTERNAL, `${this.context.protocol.name} response ended ${ending}`);
          return;
        }
        parser.push(value);
        for (let envelope = parser.next(); envelope !== undefined; envelope = parser.next()) {
          const decompress = gzip && (envelope.flags & compressedFlag) !== 0 && (envelope.flags & this.context.protocol.endFlag) === 0;
          this.queue.push(decompress ? await this.decompressed(envelope) : envelope);
          if (this.finished) {
            return;
          }
        }
      }
    } catch (error) {
      if (error instanceof DecompressionError) {
        this.fail(Code.INTERNAL, `Failed to decompress a ${this.context.protocol.name} response message: ${errorMessage(error.cause)}`);
      } else if (error instanceof RangeError) {
        this.fail(Code.RESOURCE_EXHAUSTED, `Received message larger than max: ${error.message}`);
      } else {
        this.fail(Code.UNAVAILABLE, `${this.context.protocol.name} response failed: ${errorMessage(error)}`);
      }
    } finally {
      if (this.finished && !this.bodyDone) {
        reader.cancel().catch(ignore);
      }
    }
  }

  /** A gzip envelope's message, decompressed (a RangeError beyond the size limit). */
  private async decompressed(envelope: Envelope): Promise<Envelope> {
    try {
      return { flags: envelope.flags & ~compressedFlag, payload: await gunzip(envelope.payload, this.context.maxResponseBytes) };
    } catch (error) {
      throw error instanceof RangeError ? error : new DecompressionError(error);
    }
  }

  /** Handles queued envelopes in order while the call runs and is not paused. */
  private drain(): void {
    while (!this.paused && !this.finished && this.queue.length > 0) {
      const envelope = this.queue.shift() as Envelope;
      if ((envelope.flags & this.context.protocol.endFlag) !== 0) {
        this.bodyDone = true;
        this.conclude(envelope.payload);
      } else {
        this.deliver(envelope);
      }
    }
  }

  /** Ends the call with the status of the end envelope. */
  private conclude(payload: Uint8Array): void {
    let status: CallStatus;
    try {
      status = this.context.protocol.readEnd(payload);
    } catch (error) {
      this.fail(Code.INTERNAL, `Invalid ${this.context.protocol.name} end of stream: ${errorMessage(error)}`);
      return;
    }
    this.finish(status);
  }

  /** Decodes one response message and hands it on (a stream's "data", or kept as a unary response). */
  private deliver(envelope: Envelope): void {
    if ((envelope.flags & compressedFlag) !== 0) {
      this.fail(Code.INTERNAL, `${this.context.protocol.name} response has a compressed message, but no compression was negotiated`);
      return;
    }
    if (envelope.payload.byteLength > this.context.maxResponseBytes) {
      this.fail(Code.RESOURCE_EXHAUSTED, `Received message larger than max (${envelope.payload.byteLength} vs. ${this.context.maxResponseBytes})`);
      return;
    }
    let message: unknown;
    try {
      message = this.context.format.decode(this.method, envelope.payload);
    } catch {
      this.fail(Code.INTERNAL, "Failed to parse server response");
      return;
    }
    if (this.callback === undefined) {
      this.emit("data", message);
      return;
    }
    this.responses++;
    if (this.responses > 1) {
      this.fail(Code.UNIMPLEMENTED, "Too many responses received");
      return;
    }
    this.response = message;
  }

  /**
   * Records the final status: aborts what is left of the fetch, then, on a
   * later microtask (so a call refused at once still reaches the listeners
   * the core attaches after starting it), reports the outcome.
   */
  private finish(status: CallStatus): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    clearTimeout(this.timer);
    // A request body still open is cut off by the abort, never closed: the server cannot take a cancelled
    // call's requests for complete.
    if (!this.bodyDone || this.requests !== undefined) {
      this.controller.abort();
    }
    this.requests = undefined;
    this.queue.length = 0;
    this.resume();
    let final = status;
    if (this.callback !== undefined && status.code === (Code.OK as number) && this.responses === 0) {
      final = { code: Code.UNIMPLEMENTED, details: "No message received", metadata: status.metadata };
    }
    queueMicrotask(() => this.report(final));
  }

  private report(status: CallStatus): void {
    const error = status.code === (Code.OK as number) ? null : callStatusError(status);
    if (this.callback !== undefined) {
      this.callback(error, error === null ? this.response : undefined);
    } else {
      // The error first: the core takes an "end" before it for a clean end.
      if (error !== null) {
        this.emit("error", error);
      }
      this.emit("end");
    }
    this.emit("status", status);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ignore(): void {}

/** A response message that is not valid gzip. */
class DecompressionError extends Error {
  constructor(cause: unknown) {
    super("invalid gzip", { cause });
  }
}
