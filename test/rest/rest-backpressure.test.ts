import { once } from "node:events";
import { createServer as createHttpServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { createServer } from "@stubwright/runtime";
import { createRestHandler } from "@stubwright/runtime/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookSchema } from "../golden/ts/bookstore/v1/bookstore_pb.js";
import { BookstoreDefinition } from "../golden/ts/bookstore/v1/bookstore_grpc.js";

/**
 * A server stream over REST goes at the pace of the HTTP client: while the
 * client does not read, the handler is not asked for more than the buffers
 * hold. Checked without timing: at every message the handler produces, the
 * bytes Node holds for the response (not yet taken by the kernel) must be
 * within the response's high-water mark plus what one write may add. A
 * stream that ignored backpressure would buffer the whole stream there.
 */

const titleBytes = 64 * 1024;
/** Messages after the first sign of backpressure: the stream then ends. */
const afterBackpressure = 64;
/** A bound that only catches a stream that never meets backpressure. */
const maxMessages = 2048;

interface Probe {
  response: ServerResponse | undefined;
  produced: number;
  backpressureAt: number | undefined;
  maxBuffered: number;
  bound: number;
  /** Settled when the server first meets backpressure: the client then reads. */
  backpressure: Promise<void>;
  sawBackpressure: () => void;
}

let sawBackpressure = (): void => {};
const probe: Probe = {
  response: undefined,
  produced: 0,
  backpressureAt: undefined,
  maxBuffered: 0,
  bound: 0,
  backpressure: new Promise<void>((resolve) => {
    sawBackpressure = resolve;
  }),
  sawBackpressure: () => sawBackpressure(),
};

let base = "";
let closeAll: () => Promise<void>;

beforeAll(async () => {
  const server = createServer({ onError: () => {} }).add(BookstoreDefinition, {
    async *listBooks(request) {
      const title = "x".repeat(titleBytes);
      const line = Buffer.byteLength(`${JSON.stringify({ result: { name: `${request.parent}/books/${maxMessages}`, title } })}\n`);
      while (probe.produced < maxMessages && (probe.backpressureAt === undefined || probe.produced < probe.backpressureAt + afterBackpressure)) {
        const response = probe.response as ServerResponse;
        // What Node holds for the response: one write past the high-water mark at most, plus chunk framing.
        probe.bound = response.writableHighWaterMark + 2 * line;
        probe.maxBuffered = Math.max(probe.maxBuffered, response.writableLength);
        if (probe.backpressureAt === undefined && response.writableNeedDrain) {
          probe.backpressureAt = probe.produced;
          probe.sawBackpressure();
        }
        yield create(BookSchema, { name: `${request.parent}/books/${probe.produced++}`, title });
      }
    },
  });
  const rest = createRestHandler(server);
  const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    probe.response = res;
    rest(req, res);
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  closeAll = async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await server.forceShutdown();
  };
});

afterAll(() => closeAll());

describe("REST server streaming and a slow reader", () => {
  it("produces no faster than the client reads: the response's buffer stays within its high-water mark", async () => {
    const lines = await new Promise<string[]>((resolve, reject) => {
      request(`${base}/v1/shelves/s/books`, (response) => {
        // Paused until the server meets backpressure; then it reads, and the stream goes at its pace.
        response.pause();
        void probe.backpressure.then(() => response.resume());
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8").trimEnd().split("\n")));
        response.on("error", reject);
      })
        .on("error", reject)
        .end();
    });
    expect(probe.backpressureAt, "the stream never met backpressure").toBeDefined();
    expect(probe.maxBuffered).toBeLessThanOrEqual(probe.bound);
    // Everything arrived, in order, once the client read.
    expect(lines).toHaveLength(probe.produced);
    expect(lines.map((line) => (JSON.parse(line) as { result: { name: string } }).result.name)).toEqual(
      Array.from({ length: probe.produced }, (_, i) => `shelves/s/books/${i}`),
    );
    console.log(
      `${probe.produced} messages of ${titleBytes / 1024} KiB, backpressure from message ${probe.backpressureAt}; ` +
        `at most ${probe.maxBuffered} bytes buffered in Node (bound ${probe.bound})`,
    );
  });
});
