import { once } from "node:events";
import { createServer } from "node:http";

/**
 * Serves `files` (path to content type and body) on `host:port` over
 * HTTP/1.1: GET and HEAD only, 404 for any other path. Port 0 picks a free one.
 *
 * @param {ReadonlyMap<string, { contentType: string, body: string }>} files
 * @param {{ host?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
export async function startStaticServer(files, options = {}) {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? "/", "http://page").pathname);
    if ((request.method !== "GET" && request.method !== "HEAD") || file === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": file.contentType, "cache-control": "no-store" }).end(request.method === "GET" ? file.body : undefined);
  });
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the static server has no port");
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
