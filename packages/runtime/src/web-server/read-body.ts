import type { IncomingHttpHeaders } from "node:http";

/** The part of an HTTP/1.1 or HTTP/2 (compatibility API) request a body is read from. */
export interface BodySource {
  readonly headers: IncomingHttpHeaders;
  on(event: "data", listener: (chunk: Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  pause(): unknown;
}

/**
 * Reads a request body; `done` gets `undefined` (and the rest is left unread)
 * when it is larger than `limitBytes`, so a client cannot make the server
 * buffer more than it accepts. A body shorter than its `Content-Length` is
 * a request the client abandoned: Node's HTTP/2 compatibility API ends a
 * reset request's body as if it were complete, and the reset follows only
 * later. `done` is then never called (there is no one to answer).
 */
export function readBody(request: BodySource, limitBytes: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > limitBytes) {
      if (!over) {
        over = true;
        request.pause();
        done(undefined);
      }
      return;
    }
    chunks.push(chunk);
  });
  request.on("end", () => {
    const declared = request.headers["content-length"];
    if (!over && (declared === undefined || Number(declared) === size)) {
      done(Buffer.concat(chunks));
    }
  });
}
