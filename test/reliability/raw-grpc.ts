import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type OutgoingHttpHeaders } from "node:http2";
import { within } from "./bounded.js";

/** A gRPC length-prefixed message: flag byte (1 = compressed), 4-byte big-endian length, bytes. */
export function frame(message: Uint8Array, compressed = false): Buffer {
  const header = Buffer.alloc(5);
  header[0] = compressed ? 1 : 0;
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

/** One raw gRPC call over HTTP/2: what to send. */
export interface RawCall {
  /** The `:path`, e.g. `/pkg.Service/Method`. */
  readonly path: string;
  /** Headers added to (or replacing) the defaults: POST, `content-type: application/grpc`, `te: trailers`. */
  readonly headers?: OutgoingHttpHeaders;
  /** Bytes written as the request body, in order (usually {@link frame}s). */
  readonly body?: readonly Uint8Array[];
  /** How the request side ends: `end` (END_STREAM, the default), `cancel` (RST_STREAM CANCEL) or `open` (left open). */
  readonly finish?: "end" | "cancel" | "open";
  /** Cancels the stream (RST_STREAM CANCEL) once this settles. */
  readonly cancelOn?: Promise<unknown> | undefined;
  /** Cancel (RST_STREAM CANCEL) once this many response messages arrived; bounds endless streams. */
  readonly cancelAfterMessages?: number;
}

/** How a raw call ended, as seen on the wire. */
export interface RawOutcome {
  /** The HTTP `:status` of the response headers, if any arrived. */
  readonly httpStatus: number | undefined;
  /** `grpc-status` from the trailers (or a trailers-only response), if any. */
  readonly grpcStatus: number | undefined;
  readonly grpcMessage: string | undefined;
  /** The RST_STREAM code the stream closed with (0 when it closed cleanly). */
  readonly rstCode: number;
  /** Complete response messages received. */
  readonly messages: number;
  /** Whether this side cancelled the stream after `cancelAfterMessages`. */
  readonly cancelledHere: boolean;
  /** A stream or session error, if one was emitted. */
  readonly error: string | undefined;
}

/** Opens a plaintext HTTP/2 session to 127.0.0.1:`port`; its errors end its calls rather than the process. */
export async function openSession(port: number): Promise<ClientHttp2Session> {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on("error", () => {});
  await within(
    new Promise<void>((resolve, reject) => {
      session.once("connect", () => resolve());
      session.once("error", reject);
    }),
    30_000,
    "an HTTP/2 connection",
  );
  return session;
}

/**
 * Makes one call on `session` exactly as described, and reports what came
 * back. Settles when the response ends or the stream closes (bounded by `boundMs`, which catches a
 * server that never answers).
 */
export function rawCall(session: ClientHttp2Session, call: RawCall, boundMs = 30_000): Promise<RawOutcome> {
  // Cancelling through the request's signal resets the stream alone, as grpc-go and grpc-java
  // do; `close(NGHTTP2_CANCEL)` would half-close an idle request side (END_STREAM) first.
  const controller = new AbortController();
  const stream = session.request(
    {
      ":method": "POST",
      ":path": call.path,
      "content-type": "application/grpc",
      te: "trailers",
      ...call.headers,
    },
    { signal: controller.signal },
  );
  const outcome = collect(stream, call.cancelAfterMessages);
  for (const chunk of call.body ?? []) {
    stream.write(chunk);
  }
  if ((call.finish ?? "end") === "end") {
    stream.end();
  } else if (call.finish === "cancel") {
    controller.abort();
  }
  const cancel = (): void => {
    if (!stream.closed) controller.abort();
  };
  call.cancelOn?.then(cancel, cancel);
  return within(outcome, boundMs, `raw call ${call.path}`).finally(() => {
    if (!stream.closed) stream.close(constants.NGHTTP2_CANCEL);
  });
}

function collect(stream: ClientHttp2Stream, cancelAfterMessages: number | undefined): Promise<RawOutcome> {
  let httpStatus: number | undefined;
  let grpcStatus: number | undefined;
  let grpcMessage: string | undefined;
  let error: string | undefined;
  let messages = 0;
  let cancelledHere = false;
  // Counts messages without keeping their bytes: the prefix being read, then the bytes left to skip.
  let prefix = Buffer.alloc(0);
  let skip = 0;
  const readStatus = (headers: Record<string, unknown>): void => {
    if (headers["grpc-status"] !== undefined) {
      grpcStatus = Number(headers["grpc-status"]);
      grpcMessage = typeof headers["grpc-message"] === "string" ? percentDecoded(headers["grpc-message"]) : undefined;
    }
  };
  stream.on("response", (headers) => {
    httpStatus = Number(headers[":status"]);
    readStatus(headers);
  });
  stream.on("trailers", readStatus);
  stream.on("data", (chunk: Buffer) => {
    let rest = chunk;
    while (rest.length > 0) {
      if (skip > 0) {
        const skipped = Math.min(skip, rest.length);
        skip -= skipped;
        rest = rest.subarray(skipped);
        if (skip === 0) messages++;
        continue;
      }
      const taken = Math.min(5 - prefix.length, rest.length);
      prefix = Buffer.concat([prefix, rest.subarray(0, taken)]);
      rest = rest.subarray(taken);
      if (prefix.length === 5) {
        skip = prefix.readUInt32BE(1);
        prefix = Buffer.alloc(0);
        if (skip === 0) messages++;
      }
    }
    if (cancelAfterMessages !== undefined && messages >= cancelAfterMessages && !cancelledHere) {
      cancelledHere = true;
      stream.close(constants.NGHTTP2_CANCEL);
    }
  });
  stream.on("error", (cause: Error) => {
    error = cause.message;
  });
  return new Promise((resolve) => {
    const settle = (): void => resolve({ httpStatus, grpcStatus, grpcMessage, rstCode: stream.rstCode ?? 0, messages, cancelledHere, error });
    // The response ends with the server's END_STREAM even while this side still
    // sends (a gRPC client is done then), or the stream closes (reset, lost).
    stream.on("end", settle);
    stream.on("close", settle);
  });
}

/** A percent-decoded `grpc-message`, or the raw value when it is not valid percent-encoding. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
