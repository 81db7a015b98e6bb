import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import type { MethodDefinition, ServiceDefinition } from "@stubwright/runtime";
import { TestServiceDefinition } from "@stubwright/interop";
import { EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { InventoryServiceDefinition } from "../golden/ts/stubwright/demo/v1/inventory_grpc.js";
import { startEchoChild } from "./echo-child.js";
import { serverPrograms, startServerChild, type ServerChild } from "./server-child.js";

/** A known-good call: its path and its request, encoded. */
export interface ValidCall {
  readonly path: string;
  readonly request: Uint8Array;
}

/** A server under test, the service it serves, and a good unary and client-streaming call to it. */
export interface ServiceTarget {
  readonly name: "echo" | "demo" | "interop";
  readonly server: ServerChild;
  readonly definition: ServiceDefinition;
  readonly unary: ValidCall;
  readonly clientStream: ValidCall;
}

function valid<I extends DescMessage>(method: MethodDefinition<I>, init: MessageInitShape<I>): ValidCall {
  return { path: method.path, request: toBinary(method.requestSchema, create(method.requestSchema, init)) };
}

/** Starts the instrumented echo server (see echo-child.ts for its call records). */
export async function startEchoTarget(): Promise<ServiceTarget & { readonly server: Awaited<ReturnType<typeof startEchoChild>> }> {
  return {
    name: "echo",
    server: await startEchoChild(),
    definition: EchoServiceDefinition,
    unary: valid(EchoServiceDefinition.echo, { message: "x" }),
    clientStream: valid(EchoServiceDefinition.collect, { message: "x" }),
  };
}

/** Starts the inventory demo as `npm start -w @stubwright/demo -- --serve` would. */
export async function startDemoTarget(): Promise<ServiceTarget> {
  return {
    name: "demo",
    server: await startServerChild(serverPrograms.demo()),
    definition: InventoryServiceDefinition,
    unary: valid(InventoryServiceDefinition.getItem, { sku: "HAM-001" }),
    clientStream: valid(InventoryServiceDefinition.importItems, { sku: "NEW-001", name: "new" }),
  };
}

/** Starts `stubwright-interop-server` (grpc.testing.TestService). */
export async function startInteropTarget(): Promise<ServiceTarget> {
  return {
    name: "interop",
    server: await startServerChild(serverPrograms.interop()),
    definition: TestServiceDefinition,
    unary: valid(TestServiceDefinition.unaryCall, { responseSize: 8 }),
    clientStream: valid(TestServiceDefinition.streamingInputCall, { payload: { body: new Uint8Array(8) } }),
  };
}
