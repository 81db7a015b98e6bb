import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders, type Settings } from "node:http2";

/** The status a bare HTTP/2 client read from the response (trailers, or a trailers-only response). */
export interface RawStatus {
  readonly code: number;
  readonly message: string;
}

/**
 * One gRPC call over a bare HTTP/2 client: unlike grpc-js, it arms no
 * deadline timer and never cancels unless the test says so, so what the
 * server does at a deadline is all that happens.
 */
export interface RawGrpcCall {
  /** Resolves with the response headers (sent with the first message, or the status). */
  readonly headers: Promise<IncomingHttpHeaders>;
  /** Resolves with the status once the stream closes; `undefined` if it closed without one (e.g. `cancel()`). */
  readonly status: Promise<RawStatus | undefined>;
  /** Resets the stream with CANCEL, as a client that cancels does. */
  cancel(): void;
  /** Closes the connection. */
  close(): void;
}

/** Options for {@link startRawGrpcCall}. */
export interface RawGrpcCallOptions {
  /** Extra request headers, e.g. `{ "grpc-timeout": "100m" }`. */
  readonly headers?: Record<string, string>;
  /** The client's HTTP/2 settings, e.g. `{ initialWindowSize: 0 }` to let no response data through. */
  readonly settings?: Settings;
}

/** Starts a call of `path` on `address` (host:port) sending one message, `request`, then half-closing. */
export function startRawGrpcCall(address: string, path: string, request: Uint8Array, options: RawGrpcCallOptions = {}): RawGrpcCall {
  const session: ClientHttp2Session = connect(`http://${address}`, { settings: options.settings ?? {} });
  session.on("error", () => {});
  const stream: ClientHttp2Stream = session.request({
    ":method": "POST",
    ":path": path,
    "content-type": "application/grpc",
    te: "trailers",
    ...options.headers,
  });
  stream.on("error", () => {});
  const frame = Buffer.alloc(5 + request.length);
  frame.writeUInt32BE(request.length, 1);
  frame.set(request, 5);
  stream.end(frame);
  const headers = new Promise<IncomingHttpHeaders>((resolve) => stream.once("response", resolve));
  const status = new Promise<RawStatus | undefined>((resolve) => {
    let found: RawStatus | undefined;
    const read = (fields: IncomingHttpHeaders): void => {
      const code = fields["grpc-status"];
      if (code !== undefined) {
        found = { code: Number(code), message: decodeURIComponent(String(fields["grpc-message"] ?? "")) };
      }
    };
    stream.on("response", read);
    stream.on("trailers", read);
    // Reading the body lets the server's data, and so its trailers, through.
    stream.resume();
    stream.once("close", () => resolve(found));
  });
  return {
    headers,
    status,
    cancel: () => stream.close(constants.NGHTTP2_CANCEL),
    close: () => session.close(),
  };
}
