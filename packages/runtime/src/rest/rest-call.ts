import type { JsonWriteOptions, Message, Registry } from "@bufbuild/protobuf";
import { isMetadata, type Metadata } from "../metadata.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { Code } from "../code.js";
import type { SendSingleResponse } from "../server/server-call.js";
import type { RestBinding } from "./http-bindings.js";
import { sendJson, sendStatus, type FailedStatus } from "./json-response.js";
import { metadataHeaders } from "./response-headers.js";
import { responseToJson } from "./response-mapping.js";
import { statusJson } from "./status-json.js";

/** The longest timer Node arms; a deadline further away never fires in practice. */
const maxTimerMs = 2_147_483_647;

/** One HTTP exchange and what answering it needs. */
export interface RestExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly binding: RestBinding;
  /** Turns what the dispatcher sends (bytes when it pre-serializes) into the response message. */
  readonly decode: (response: unknown) => Message;
  readonly writeOptions: Partial<JsonWriteOptions>;
  /** Knows the error detail types, for the `details` of error bodies. */
  readonly registry: Registry;
}

/**
 * The {@link ServerCall} of one REST request: what the dispatcher serves, as
 * grpc-js and the in-memory transport hand it theirs. A unary answer is one
 * JSON body; a server stream is newline-delimited JSON, `{"result": ...}`
 * per message and, when the call fails after the first message, a last
 * `{"error": <google.rpc.Status>}` line (before it, a failure answers as a
 * unary call would). The client going away or the deadline passing emits
 * "cancelled"; at the deadline the client gets DEADLINE_EXCEEDED (504).
 * A stream's trailers go out as HTTP trailers (`Grpc-Trailer-<key>`).
 */
export class RestCall extends Writable {
  request: unknown;
  readonly metadata: Metadata;
  private readonly deadline: Date | number;
  private headers: Metadata | undefined;
  private trailers: Metadata | undefined;
  /** Set by a failed status the dispatcher emitted: sent once the messages before it are. */
  private failure: FailedStatus | undefined;
  /** True once the exchange has its outcome (a status sent, or the client gone). */
  private ended = false;
  /** True once the stream's response head is out. */
  private streaming = false;
  private timer: NodeJS.Timeout | undefined;
  private waitingForDrain: (() => void) | undefined;

  constructor(
    private readonly exchange: RestExchange,
    metadata: Metadata,
    deadlineMs: number,
  ) {
    super({ objectMode: true, highWaterMark: 16 });
    this.metadata = metadata;
    this.deadline = deadlineMs === Infinity ? Infinity : new Date(deadlineMs);
    // The dispatcher ends a streaming call with a failed status by emitting "error" with it.
    this.on("error", (status: FailedStatus) => {
      this.failure ??= status;
      if (!this.writableEnded) {
        super.end();
      }
    });
    exchange.response.on("close", () => this.clientGone());
    const remainingMs = deadlineMs - Date.now();
    if (remainingMs < maxTimerMs) {
      this.timer = setTimeout(() => this.expire(), Math.max(0, remainingMs));
    }
  }

  getPeer(): string {
    const { socket } = this.exchange.request;
    return `${socket.remoteAddress ?? "unknown"}:${socket.remotePort ?? 0}`;
  }

  getDeadline(): Date | number {
    return this.deadline;
  }

  sendMetadata(headers: Metadata): void {
    this.headers ??= headers;
  }

  /** The answer of a unary call (see {@link SendSingleResponse}). */
  readonly sendSingle: SendSingleResponse = (status, response, trailers) => {
    if (status !== null) {
      this.fail({ code: status.code ?? Code.UNKNOWN, details: status.details ?? "", metadata: status.metadata });
      return;
    }
    if (this.ended) {
      return;
    }
    const json = this.toJson(response);
    if (json === undefined) {
      return;
    }
    this.finish();
    sendJson(this.exchange.response, 200, json, metadataHeaders(this.headers, trailers));
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
    const json = this.toJson(chunk);
    if (json === undefined) {
      done();
      return;
    }
    this.startStream();
    if (this.exchange.response.write(`${JSON.stringify({ result: json })}\n`)) {
      done();
    } else {
      this.waitingForDrain = done;
      this.exchange.response.once("drain", () => this.releaseWriter());
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.failure !== undefined) {
      this.fail(this.failure);
    } else if (!this.ended) {
      this.startStream();
      this.finish();
      this.exchange.response.addTrailers(metadataHeaders(undefined, this.trailers) as Record<string, string>);
      this.exchange.response.end();
    }
    done();
  }

  /** Turns a response into its JSON; a response that does not convert fails the call with INTERNAL. */
  private toJson(response: unknown): unknown {
    try {
      return responseToJson(this.exchange.binding, this.exchange.decode(response), this.exchange.writeOptions);
    } catch {
      this.fail({ code: Code.INTERNAL, details: "Failed to convert the response to JSON" });
      this.emit("cancelled");
      return undefined;
    }
  }

  private startStream(): void {
    if (!this.streaming) {
      this.streaming = true;
      this.exchange.response.writeHead(200, { ...metadataHeaders(this.headers, undefined), "content-type": "application/x-ndjson" });
    }
  }

  /** Sends a failed status: a JSON error response, or the stream's last line once it has begun. */
  private fail(status: FailedStatus): void {
    if (this.ended) {
      return;
    }
    this.finish();
    const { response, registry } = this.exchange;
    if (this.streaming) {
      response.end(`${JSON.stringify({ error: statusJson(status.code, status.details, status.metadata, registry) })}\n`);
    } else {
      sendStatus(response, status, registry, metadataHeaders(this.headers, status.metadata));
    }
  }

  private finish(): void {
    this.ended = true;
    clearTimeout(this.timer);
  }

  private expire(): void {
    this.fail({ code: Code.DEADLINE_EXCEEDED, details: "Deadline exceeded" });
    this.emit("cancelled");
    this.releaseWriter();
  }

  /** The connection closed before the call ended: the client cancelled. */
  private clientGone(): void {
    if (this.ended) {
      return;
    }
    this.finish();
    this.emit("cancelled");
    this.releaseWriter();
  }

  private releaseWriter(): void {
    const done = this.waitingForDrain;
    this.waitingForDrain = undefined;
    done?.();
  }
}
