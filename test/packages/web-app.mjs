// The consumer projects' browser application: the echo service served to browsers by `createWebHandler`, and a
// page's code calling it with the generated client over the fetch transports, bundled by esbuild for a browser
// and run in a realm with a page's globals only (no Buffer, no process), the way a page runs it.

/** The server: the echo handlers behind createWebHandler on node:http, at 127.0.0.1:$PORT (0 when unset). */
export const webServer = `import { createServer as createHttpServer } from "node:http";
import { Code, RpcError, createServer } from "@stubwright/runtime";
import { createWebHandler } from "@stubwright/runtime/web-server";
import { EchoServiceDefinition } from "./gen/echo/v1/echo_grpc.js";

const server = createServer().add(EchoServiceDefinition, {
  async echo(request, context) {
    if (request.text === "") throw new RpcError(Code.INVALID_ARGUMENT, "text must not be empty");
    if (request.text === "wait") {
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
    }
    return { text: request.text };
  },
  async *expand(request) {
    for (const word of request.text.split(" ")) yield { text: word };
  },
  async collect(requests) {
    const words: string[] = [];
    for await (const request of requests) words.push(request.text);
    return { text: words.join(" ") };
  },
  async *chat(requests) {
    for await (const request of requests) yield { text: request.text };
  },
});
const http = createHttpServer(createWebHandler(server));
http.listen(Number(process.env.PORT ?? "0"), "127.0.0.1", () => {
  const address = http.address();
  console.log(\`listening on \${typeof address === "object" && address !== null ? address.port : "?"}\`);
});
process.once("SIGINT", () => {
  http.close();
  void server.shutdown({ graceMs: 1_000 });
});
`;

/** The page's code: one call of each kind a browser can make, over Connect and gRPC-Web; bundled, never compiled by tsc. */
export const webPage = `import { Code, RpcError } from "@stubwright/runtime";
import { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";
import { createEchoServiceClient } from "./gen/echo/v1/echo_grpc.js";

export async function run(baseUrl: string): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { pageGlobals: typeof Buffer === "undefined" && typeof process === "undefined" };
  for (const [name, transport] of [
    ["connect", createConnectTransport({ baseUrl })],
    ["grpc-web", createGrpcWebTransport({ baseUrl })],
  ] as const) {
    const client = createEchoServiceClient(transport);
    const unary = (await client.echo({ text: "hello" }, { timeoutMs: 30_000 })).text;
    const words: string[] = [];
    for await (const reply of client.expand({ text: "one two three" }, { timeoutMs: 30_000 })) words.push(reply.text);
    const failure = await client.echo({ text: "" }).catch((error: unknown) => error);
    const expired = await client.echo({ text: "wait" }, { timeoutMs: 200 }).catch((error: unknown) => error);
    results[name] = {
      unary,
      words,
      error: failure instanceof RpcError ? Code[failure.code] : String(failure),
      deadline: expired instanceof RpcError ? Code[expired.code] : String(expired),
    };
  }
  return results;
}
`;

/** Runs dist/page.js (an IIFE with global \`page\`) in a fresh realm given a page's web APIs, and prints its results. */
export const runPage = `import { readFileSync } from "node:fs";
import { createContext, runInContext } from "node:vm";

const realm = createContext({
  fetch, Headers, Request, Response, ReadableStream, Blob, TextEncoder, TextDecoder, URL, URLSearchParams,
  AbortController, AbortSignal, DOMException, setTimeout, clearTimeout, queueMicrotask, console,
});
runInContext(readFileSync("dist/page.js", "utf8"), realm);
realm.baseUrl = \`http://127.0.0.1:\${process.env.PORT}\`;
console.log(JSON.stringify(await runInContext("page.run(baseUrl)", realm)));
`;

const expected = { unary: "hello", words: ["one", "two", "three"], error: "INVALID_ARGUMENT", deadline: "DEADLINE_EXCEEDED" };

/** Judges the page's printed results: undefined when right, else what is wrong. */
export function checkPageResults(stdout) {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  let results;
  try {
    results = JSON.parse(line);
  } catch {
    return `the page printed no JSON: ${stdout.trim()}`;
  }
  const want = { pageGlobals: true, connect: expected, "grpc-web": expected };
  return JSON.stringify(results) === JSON.stringify(want) ? undefined : `expected ${JSON.stringify(want)}, got ${line}`;
}
