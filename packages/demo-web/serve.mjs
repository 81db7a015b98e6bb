// `npm run demo:web`: the demo's inventory service for browsers (gRPC-Web and Connect on 127.0.0.1:8080,
// allowing the page's origin) and the page itself on 127.0.0.1:8000, until Ctrl-C.
import { createServer as createHttpServer } from "node:http";
import { createServer } from "@stubwright/runtime";
import { createWebHandler } from "@stubwright/runtime/web-server";
import { InventoryService } from "../demo/dist/gen/stubwright/demo/v1/inventory_pb.js";
import { createInventoryService } from "../demo/dist/packages/demo/src/inventory-service.js";
import { demoWebFiles } from "./bundle.mjs";
import { startStaticServer } from "./static-server.mjs";

const apiPort = 8080;
const pagePort = 8000;
const pageOrigin = `http://127.0.0.1:${pagePort}`;

const server = createServer().add(InventoryService, createInventoryService());
const api = createHttpServer(createWebHandler(server, { cors: { allowedOrigins: [pageOrigin] } })).listen(apiPort, "127.0.0.1");
const page = await startStaticServer(await demoWebFiles(), { port: pagePort });
const apiUrl = `http://127.0.0.1:${apiPort}`;
console.log(`inventory service for browsers on ${apiUrl}; open one of:`);
for (const protocol of ["connect", "grpc-web"]) {
  console.log(`  ${page.url}/?protocol=${protocol}&api=${encodeURIComponent(apiUrl)}`);
}
process.once("SIGINT", () => {
  api.close();
  void page.close();
  void server.shutdown({ graceMs: 1000 });
});
