import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";

/** A request of `node:http`, or of `node:http2`'s compatibility API (HTTP/2, and HTTP/1.1 with `allowHTTP1`). */
export type WebRequest = IncomingMessage | Http2ServerRequest;

/** The response of a {@link WebRequest}. */
export type WebResponse = ServerResponse | Http2ServerResponse;

/** What the web handler uses of a response: the part HTTP/1.1 and HTTP/2 responses share. */
export interface ResponseLike {
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  setHeader(name: string, value: string | readonly string[]): unknown;
  write(chunk: Uint8Array | string): boolean;
  end(chunk?: Uint8Array | string): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  on(event: "close", listener: () => void): unknown;
  readonly headersSent: boolean;
}

/** One HTTP request and its response, as the protocols read and answer it. */
export interface HttpExchange {
  readonly request: WebRequest;
  readonly response: ResponseLike;
  /** The URL path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** When the request arrived (epoch ms): deadlines count from then. */
  readonly arrivedMs: number;
}

/** A request header's first value. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The client's address, `host:port`. */
export function peerOf(request: WebRequest): string {
  const { socket } = request;
  return `${socket?.remoteAddress ?? "unknown"}:${socket?.remotePort ?? 0}`;
}
