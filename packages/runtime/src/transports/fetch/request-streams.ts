let supported: boolean | undefined;

/**
 * True when this runtime's fetch can send a `ReadableStream` as a request
 * body (Node, Chromium-based browsers). Firefox and Safari cannot: they would
 * send the text "[object ReadableStream]" instead, so a streamed call must
 * not reach their fetch. A runtime that can reads the `duplex` option of a
 * Request and sets no content type for a stream body.
 */
export function canStreamRequests(): boolean {
  if (supported === undefined) {
    try {
      let duplexRead = false;
      const init = {
        method: "POST",
        body: new ReadableStream(),
        get duplex() {
          duplexRead = true;
          return "half";
        },
      };
      const hasContentType = new Request("http://localhost/", init as RequestInit).headers.has("content-type");
      supported = duplexRead && !hasContentType;
    } catch {
      supported = false;
    }
  }
  return supported;
}
