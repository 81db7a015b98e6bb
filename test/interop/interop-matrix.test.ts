import { interopCaseNames, loadTestCerts, runInteropCase, startInteropServer, type InteropConnection, type InteropServer } from "@stubwright/interop";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runGrpcJsClientCase } from "../support/interop-grpc-js-client.js";
import { startReferenceServer } from "../support/interop-reference-server.js";
import { createInteropTable } from "../support/interop-table.js";

// Every interop client case in three pairings, in process:
//   stubwright client -> stubwright server (plaintext and TLS),
//   stubwright client -> plain grpc-js + proto-loader server,
//   plain grpc-js + proto-loader client -> stubwright server.
const table = createInteropTable();
const certs = loadTestCerts();
let plaintext: InteropServer;
let tls: InteropServer;
let reference: { port: number; close(): void };

beforeAll(async () => {
  [plaintext, tls, reference] = await Promise.all([startInteropServer(), startInteropServer({ useTls: true, certs }), startReferenceServer()]);
});

afterAll(async () => {
  reference?.close();
  await Promise.all([plaintext?.close(0), tls?.close(0)]);
  console.log(`\ninterop case table\n${table.render()}`);
});

const local = (port: number): InteropConnection => ({ host: "127.0.0.1", port, useTls: false });
/** Bounds on each call and case that only catch a hang, even on a loaded machine (within the test's own bound). */
const bounds = { callTimeoutMs: 30_000, caseTimeoutMs: 50_000 };

describe("stubwright client -> stubwright server (plaintext)", () => {
  it.each(interopCaseNames)("%s", (name) => table.record("stubwright -> stubwright", name, () => runInteropCase(name, local(plaintext.port), bounds)));
});

describe("stubwright client -> stubwright server (TLS, test CA, foo.test.google.fr)", () => {
  it.each(interopCaseNames)("%s", (name) =>
    table.record("stubwright -> stubwright tls", name, () =>
      runInteropCase(name, { host: "127.0.0.1", port: tls.port, useTls: true, useTestCa: true, serverHostOverride: "foo.test.google.fr", certs }, bounds),
    ),
  );
});

describe("stubwright client -> grpc-js + proto-loader server", () => {
  it.each(interopCaseNames)("%s", (name) => table.record("stubwright -> grpc-js", name, () => runInteropCase(name, local(reference.port), bounds)));
});

describe("grpc-js + proto-loader client -> stubwright server", () => {
  it.each(interopCaseNames)("%s", (name) => table.record("grpc-js -> stubwright", name, () => runGrpcJsClientCase(name, `127.0.0.1:${plaintext.port}`)));
});
