import { once } from "node:events";
import { connect, constants, createServer, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";

/**
 * Whether this Node completes an HTTP/2 stream's writes (and so lets it
 * finish) only once the data may be sent, that is, within the peer's flow
 * control window. Node 24.22 and 26 complete them as soon as the data is
 * queued, so a server cannot tell from a finished stream whether its last
 * messages reached the client.
 *
 * Found out with a loopback server writing to a client whose window is 0:
 * the write completes, or the client's reset closes the stream first.
 */
export async function writesWaitForFlowControl(): Promise<boolean> {
  const server = createServer();
  const streams: ServerHttp2Stream[] = [];
  server.on("stream", (stream) => streams.push(stream));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const session = connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: 0 } });
  try {
    const request = session.request({ ":method": "POST", ":path": "/probe" });
    request.on("error", () => {});
    const [stream] = (await once(server, "stream")) as [ServerHttp2Stream];
    stream.on("error", () => {});
    stream.respond({ ":status": 200 });
    const written = new Promise<boolean>((resolve) => {
      stream.write(Buffer.alloc(1), (error) => resolve(error === undefined || error === null));
      stream.once("close", () => resolve(false));
    });
    // The reset cannot overtake a write that completes when it is queued: that callback runs first.
    setImmediate(() => request.close(constants.NGHTTP2_CANCEL));
    return !(await written);
  } finally {
    session.destroy();
    for (const stream of streams) stream.destroy();
    server.close();
  }
}
