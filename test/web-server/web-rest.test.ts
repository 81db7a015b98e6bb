import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { createServer, type StubwrightServer } from "@stubwright/runtime";
import { createWebHandler } from "@stubwright/runtime/web-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BookstoreDefinition } from "../golden/ts/bookstore/v1/bookstore_grpc.js";
import { Bookstore } from "../golden/ts/bookstore/v1/bookstore_pb.js";

let server: StubwrightServer;
let http: Server;
let base = "";

beforeAll(async () => {
  server = createServer({ onError: () => {} }).add(BookstoreDefinition, {
    getShelf: (request) => ({ name: `shelves/${request.shelf}`, theme: "sea" }),
  });
  http = createHttpServer(createWebHandler(server));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await server.forceShutdown();
});

it("one port serves REST (google.api.http), Connect and gRPC-Web from the same handler", async () => {
  const rest = await fetch(`${base}/v1/shelves/fiction`);
  expect(rest.status).toBe(200);
  expect(await rest.json()).toMatchObject({ name: "shelves/fiction", theme: "sea" });
  for (const transport of [createConnectTransport({ baseUrl: base, httpVersion: "1.1" }), createGrpcWebTransport({ baseUrl: base, httpVersion: "1.1" })]) {
    const shelf = await createClient(Bookstore, transport).getShelf({ shelf: "poetry" });
    expect(shelf.name).toBe("shelves/poetry");
  }
});
