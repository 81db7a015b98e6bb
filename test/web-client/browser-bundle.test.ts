import { createContext, runInContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleForBrowsers, nodeOnlyInputs } from "../support/browser-bundle.js";
import { type ConnectEchoServer, startConnectEchoServer } from "./connect-echo-server.js";

const transportsOnly = 'export { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";';

// What a browser app bundles: a generated client, the transports, and the root's values.
const clientWithTransports = `
import { createEchoServiceClient } from "./test/golden/ts/fixture/echo/v1/echo_grpc.js";
import { createConnectTransport, createGrpcWebTransport } from "@stubwright/runtime/web";
import { Code, RpcError } from "@stubwright/runtime";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
export { createEchoServiceClient, createConnectTransport, createGrpcWebTransport, Code, RpcError, ErrorInfoSchema };
`;

describe("the fetch transports bundled for browsers", () => {
  it("need neither grpc-js nor a Node built-in, alone or with a generated client", async () => {
    const alone = await bundleForBrowsers(transportsOnly);
    expect(nodeOnlyInputs(alone.metafile)).toEqual([]);
    expect(Object.keys(alone.metafile.inputs).some((path) => path.includes("transports/connect/"))).toBe(true);
    const withClient = await bundleForBrowsers(clientWithTransports);
    expect(nodeOnlyInputs(withClient.metafile)).toEqual([]);
    expect(Object.keys(withClient.metafile.inputs).some((path) => path.endsWith("index-browser.js"))).toBe(true);
  });
});

describe("a generated client bundled for browsers, in a realm without Node's globals", () => {
  let server: ConnectEchoServer;
  beforeAll(async () => {
    server = await startConnectEchoServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it("calls a connect-node server over both protocols: unary, server streaming, error details", async () => {
    const { code } = await bundleForBrowsers(clientWithTransports, "iife");
    // A fresh realm has no Buffer, no process and no setImmediate, as a page has none; it gets the web APIs a page has.
    const page = createContext({
      fetch,
      Headers,
      Request,
      Response,
      ReadableStream,
      Blob,
      TextEncoder,
      TextDecoder,
      URL,
      URLSearchParams,
      AbortController,
      AbortSignal,
      DOMException,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      baseUrl: server.baseUrl,
    });
    runInContext(code, page);
    const outcome = (await runInContext(
      `(async () => {
        const { createEchoServiceClient, createConnectTransport, createGrpcWebTransport, RpcError, ErrorInfoSchema } = bundled;
        const results = { hasBuffer: typeof Buffer !== "undefined" || typeof process !== "undefined" };
        const transports = {
          connect: createConnectTransport({ baseUrl }),
          connectBinary: createConnectTransport({ baseUrl, useBinaryFormat: true }),
          grpcWeb: createGrpcWebTransport({ baseUrl }),
        };
        for (const [name, transport] of Object.entries(transports)) {
          const client = createEchoServiceClient(transport);
          const unary = await client.echo({ message: "realm " + name }, { timeoutMs: 30000 });
          const indexes = [];
          for await (const response of client.expand({ message: "realm stream " + name, repeat: 20 })) {
            indexes.push(response.index);
          }
          let error;
          try {
            await client.echo({ message: "realm error " + name, failCode: 7, failMessage: "denied" });
          } catch (caught) {
            error = caught;
          }
          results[name] = {
            message: unary.message,
            indexes,
            isRpcError: error instanceof RpcError,
            code: error?.code,
            reason: error?.findDetails(ErrorInfoSchema)[0]?.reason,
          };
        }
        return JSON.stringify(results);
      })()`,
      page,
    )) as string;
    // A page whose fetch cannot stream request bodies (Firefox, Safari): its Request ignores `duplex` and
    // types a stream body as text.
    const firefox = createContext({
      ...page,
      Request: class {
        readonly headers = new Headers({ "content-type": "text/plain;charset=UTF-8" });
      },
      fetch: () => Promise.reject(new Error("a streamed call must not reach this fetch")),
    });
    runInContext(code, firefox);
    const refused = (await runInContext(
      `(async () => {
        const { createEchoServiceClient, createConnectTransport } = bundled;
        const client = createEchoServiceClient(createConnectTransport({ baseUrl, streamRequests: true }));
        async function* requests() { yield { message: "never sent" }; }
        try {
          await client.collect(requests());
          return "resolved";
        } catch (error) {
          return error.code + " " + error.message;
        }
      })()`,
      firefox,
    )) as string;
    expect(refused).toMatch(/^12 .*cannot stream request bodies/);
    const results = JSON.parse(outcome) as Record<string, unknown>;
    expect(results.hasBuffer).toBe(false);
    for (const name of ["connect", "connectBinary", "grpcWeb"]) {
      expect(results[name]).toEqual({
        message: `realm ${name}`,
        indexes: [...Array(20).keys()],
        isRpcError: true,
        code: 7,
        reason: "FAILED_ON_PURPOSE",
      });
    }
  });
});
