import { connect, constants, type IncomingHttpHeaders } from "node:http2";
import { Readable } from "node:stream";

/** A `fetch` over one HTTP/2 connection (without TLS), and its closing. */
export interface Http2Fetch {
  readonly fetch: typeof globalThis.fetch;
  close(): void;
}

/**
 * Creates a minimal `fetch` that sends every request over one HTTP/2
 * connection to `origin`, as a browser does with an HTTP/2 server: Node's
 * own fetch speaks HTTP/1.1 only. It supports what the fetch transports use:
 * method, headers, a byte or streamed request body, a streamed response body
 * with backpressure, and abort (which resets the stream).
 */
export function createHttp2Fetch(origin: string): Http2Fetch {
  const session = connect(origin);
  session.on("error", () => {});
  const fetch: typeof globalThis.fetch = (input, init = {}) =>
    new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      const url = new URL(String(input));
      const headers: Record<string, string> = { ":method": init.method ?? "GET", ":path": `${url.pathname}${url.search}` };
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const body = init.body as Uint8Array | ReadableStream<Uint8Array> | null | undefined;
      const stream = session.request(headers, { endStream: body === undefined || body === null });
      signal?.addEventListener("abort", () => stream.close(constants.NGHTTP2_CANCEL), { once: true });
      stream.on("error", reject);
      stream.on("response", (received: IncomingHttpHeaders) => {
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(received)) {
          if (!name.startsWith(":") && value !== undefined) {
            for (const item of Array.isArray(value) ? value : [value]) {
              responseHeaders.append(name, String(item));
            }
          }
        }
        const status = Number(received[":status"]);
        const responseBody = status === 204 || init.method === "HEAD" ? null : (Readable.toWeb(stream) as ReadableStream<Uint8Array>);
        resolve(new Response(responseBody, { status, headers: responseHeaders }));
      });
      if (body instanceof ReadableStream) {
        Readable.fromWeb(body as never)
          .on("error", () => stream.close(constants.NGHTTP2_CANCEL))
          .pipe(stream);
      } else if (body !== undefined && body !== null) {
        stream.end(body);
      }
    });
  return { fetch, close: () => session.destroy() };
}
