/**
 * The inventory demo as a web page: the demo's generated client with a
 * fetch transport, calling the server named by the page's query string,
 * e.g. `index.html?api=http://127.0.0.1:8080&protocol=grpc-web`. Each call
 * kind's outcome is written into the page and into `globalThis.demoResults`
 * (which the browser test reads).
 */
import { Code, RpcError } from "@stubwright/runtime";
import { ResourceInfoSchema } from "@stubwright/runtime/error-details";
import { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";
import { createInventoryServiceClient, type InventoryServiceClient } from "../../../gen/stubwright/demo/v1/inventory_grpc.js";

/** What one run of the demo saw, call by call. */
interface DemoResults {
  protocol: string;
  unary?: { name: string; inStock: number };
  serverStream?: { updates: string[] };
  errorWithDetails?: { code: string; message: string; resourceName: string };
  deadline?: { code: string };
  cancel?: { code: string; updatesBefore: number };
  failure?: string;
  done: boolean;
}

const query = new URLSearchParams(location.search);
const protocol = query.get("protocol") ?? "connect";
const baseUrl = query.get("api") ?? "http://127.0.0.1:8080";
const results: DemoResults = { protocol, done: false };
Object.assign(globalThis, { demoResults: results });

const transport = protocol === "grpc-web" ? createGrpcWebTransport({ baseUrl }) : createConnectTransport({ baseUrl });
const client = createInventoryServiceClient(transport);

run(client)
  .catch((error: unknown) => {
    results.failure = String(error);
  })
  .finally(() => {
    results.done = true;
    show();
  });

async function run(inventory: InventoryServiceClient): Promise<void> {
  // Unary.
  const hammer = await inventory.getItem({ sku: "HAM-001" });
  results.unary = { name: hammer.name, inStock: hammer.availability.case === "inStock" ? hammer.availability.value : 0 };
  show();

  // Server streaming: a fixed number of updates, then the stream ends.
  const updates: string[] = [];
  for await (const update of inventory.watchStock({ skus: ["HAM-001", "HOS-020"], maxUpdates: 3 })) {
    updates.push(`${update.sku}=${update.inStock}`);
  }
  results.serverStream = { updates };
  show();

  // An error with details: NOT_FOUND, naming the missing item in a google.rpc.ResourceInfo.
  const missing = await failure(inventory.getItem({ sku: "NOPE-404" }));
  const [resource] = missing.findDetails(ResourceInfoSchema);
  results.errorWithDetails = { code: Code[missing.code], message: missing.rawMessage, resourceName: resource?.resourceName ?? "" };
  show();

  // A deadline: maxUpdates 0 streams until cancelled, so only the deadline can end this call.
  results.deadline = { code: Code[(await failure(drain(inventory.watchStock({ skus: ["HAM-001"], maxUpdates: 0 }, { timeoutMs: 500 })))).code] };
  show();

  // Cancellation: abort an endless stream once its first update is in.
  const controller = new AbortController();
  let updatesBefore = 0;
  const cancelled = await failure(
    (async () => {
      for await (const _ of inventory.watchStock({ skus: ["HOS-020"], maxUpdates: 0 }, { signal: controller.signal })) {
        updatesBefore++;
        controller.abort();
      }
    })(),
  );
  results.cancel = { code: Code[cancelled.code], updatesBefore };
}

/** Reads a stream to its end. */
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // Only the end matters.
  }
}

/** The RpcError a call fails with; a call that succeeds is a failure of the demo. */
async function failure(call: Promise<unknown>): Promise<RpcError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error("the call succeeded, but should have failed");
}

function show(): void {
  const target = document.getElementById("results");
  if (target !== null) target.textContent = JSON.stringify(results, null, 2);
}
