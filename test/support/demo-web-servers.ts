import { once } from "node:events";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Code as ConnectCode, ConnectError, cors, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Code, createServer, RpcError } from "@stubwright/runtime";
import { ResourceInfoSchema } from "@stubwright/runtime/error-details";
import { createWebHandler } from "@stubwright/runtime/web-server";
import { InventoryServiceDefinition, type InventoryServiceHandlers } from "../golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { InventoryService, type Item, ItemSchema, type StockUpdate, type WatchStockRequest } from "../golden/ts/stubwright/demo/v1/inventory_pb.js";

/** A server of the demo service for browsers, on 127.0.0.1:0. */
export interface DemoWebServer {
  readonly baseUrl: string;
  /**
   * The WatchStock calls whose handler saw its call aborted (the client
   * cancelled, or the deadline passed), each as its SKUs joined with ",".
   */
  readonly abortedWatches: readonly string[];
  close(): Promise<void>;
}

/**
 * The demo's catalogue and stock stream, shared by both servers. WatchStock
 * with `maxUpdates` 0 sends one update and then waits for the call to be
 * aborted: only a deadline or a cancellation ends it, however slow the machine.
 */
function createCatalogue(): {
  item(sku: string): Item | undefined;
  watch(request: WatchStockRequest, signal: AbortSignal, aborted: string[]): AsyncGenerator<StockUpdate>;
} {
  const items = new Map<string, Item>([
    ["HAM-001", create(ItemSchema, { sku: "HAM-001", name: "Claw hammer", availability: { case: "inStock", value: 12 } })],
    ["HOS-020", create(ItemSchema, { sku: "HOS-020", name: "Garden hose, 20 m", availability: { case: "inStock", value: 0 } })],
  ]);
  const stockOf = (sku: string): number => {
    const availability = items.get(sku)?.availability;
    return availability?.case === "inStock" ? availability.value : 0;
  };
  return {
    item: (sku) => items.get(sku),
    async *watch(request, signal, aborted) {
      const key = request.skus.join(",");
      signal.addEventListener("abort", () => aborted.push(key), { once: true });
      const count = request.maxUpdates === 0 ? 1 : request.maxUpdates;
      for (let sent = 0; sent < count; sent++) {
        const sku = request.skus[sent % request.skus.length] ?? "";
        yield { $typeName: "stubwright.demo.v1.StockUpdate", sku, inStock: stockOf(sku), at: timestampNow() };
      }
      if (request.maxUpdates === 0 && !signal.aborted) {
        await once(signal, "abort");
      }
    },
  };
}

/** Starts an HTTP/1.1 server for `listener` on 127.0.0.1:0. */
async function listen(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; baseUrl: string }> {
  const server = createHttpServer(listener);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function closeHttp(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The demo service on Stubwright's server, served to browsers by `createWebHandler` (gRPC-Web and Connect), allowing `pageOrigin`. */
export async function startStubwrightDemoServer(pageOrigin: string): Promise<DemoWebServer> {
  const catalogue = createCatalogue();
  const abortedWatches: string[] = [];
  const handlers: InventoryServiceHandlers = {
    getItem(request) {
      const item = catalogue.item(request.sku);
      if (item === undefined) {
        throw new RpcError(Code.NOT_FOUND, `no item with SKU ${request.sku}`, {
          details: [create(ResourceInfoSchema, { resourceType: ItemSchema.typeName, resourceName: request.sku })],
        });
      }
      return item;
    },
    watchStock: (request, context) => catalogue.watch(request, context.signal, abortedWatches),
    importItems: () => {
      throw new RpcError(Code.UNIMPLEMENTED, "not in this test");
    },
    reserve: () => {
      throw new RpcError(Code.UNIMPLEMENTED, "not in this test");
    },
  };
  const server = createServer().add(InventoryServiceDefinition, handlers);
  const http = await listen(createWebHandler(server, { cors: { allowedOrigins: [pageOrigin] } }));
  return {
    baseUrl: http.baseUrl,
    abortedWatches,
    async close() {
      await closeHttp(http.server);
      await server.shutdown({ graceMs: 1000 });
    },
  };
}

/** The demo service on `@connectrpc/connect-node` (gRPC-Web and Connect), with CORS for `pageOrigin` in front. */
export async function startConnectNodeDemoServer(pageOrigin: string): Promise<DemoWebServer> {
  const catalogue = createCatalogue();
  const abortedWatches: string[] = [];
  const adapter = connectNodeAdapter({
    routes(router) {
      router.service(InventoryService, {
        getItem(request, _context: HandlerContext) {
          const item = catalogue.item(request.sku);
          if (item === undefined) {
            throw new ConnectError(`no item with SKU ${request.sku}`, ConnectCode.NotFound, undefined, [
              { desc: ResourceInfoSchema, value: { resourceType: ItemSchema.typeName, resourceName: request.sku } },
            ]);
          }
          return item;
        },
        watchStock: (request, context: HandlerContext) => catalogue.watch(request, context.signal, abortedWatches),
      });
    },
  });
  const http = await listen((request, response) => {
    if (request.headers.origin === pageOrigin) {
      response.setHeader("access-control-allow-origin", pageOrigin);
      response.setHeader("access-control-expose-headers", cors.exposedHeaders.join(", "));
      if (request.method === "OPTIONS") {
        response.writeHead(204, {
          "access-control-allow-methods": cors.allowedMethods.join(", "),
          "access-control-allow-headers": cors.allowedHeaders.join(", "),
        });
        response.end();
        return;
      }
    }
    adapter(request, response);
  });
  return {
    baseUrl: http.baseUrl,
    abortedWatches,
    close: () => closeHttp(http.server),
  };
}
