import { closeClient, createServer, type ServiceDefinition, type StubwrightServer } from "@stubwright/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bareJs from "../golden/js-dts/naming/bare_grpc.js";
import * as casesJs from "../golden/js-dts/naming/cases/v1/cases_grpc.js";
import * as shadowJs from "../golden/js-dts/naming/shadow/v1/shadow_grpc.js";
import * as twinAJs from "../golden/js-dts/naming/twin/a/v1/twin_grpc.js";
import * as twinBJs from "../golden/js-dts/naming/twin/b/v1/twin_grpc.js";
import * as wordsJs from "../golden/js-dts/naming/words/v1/words_grpc.js";
import * as bareTs from "../golden/ts/naming/bare_grpc.js";
import * as casesTs from "../golden/ts/naming/cases/v1/cases_grpc.js";
import * as shadowTs from "../golden/ts/naming/shadow/v1/shadow_grpc.js";
import * as twinATs from "../golden/ts/naming/twin/a/v1/twin_grpc.js";
import * as twinBTs from "../golden/ts/naming/twin/b/v1/twin_grpc.js";
import * as wordsTs from "../golden/ts/naming/words/v1/words_grpc.js";
import { callByKind, createRoutingHandlers, expectedAnswers } from "../support/routing-check.js";

type GeneratedModule = Record<string, unknown>;

/** Every service definition and client factory a generated module exports. */
function exportsOf(modules: readonly GeneratedModule[]) {
  const definitions: [string, ServiceDefinition][] = [];
  const factories: [string, (address: string) => object][] = [];
  for (const module of modules) {
    for (const [name, value] of Object.entries(module)) {
      if (/Definition(\$\d+)?$/.test(name)) {
        definitions.push([name, value as ServiceDefinition]);
      } else if (/^create\w*Client(\$\d+)?$/.test(name)) {
        factories.push([name, value as (address: string) => object]);
      }
    }
  }
  return { definitions, factories };
}

// The same checks for the ts output and for the js output (with its .d.ts).
describe.each([
  { target: "ts", modules: [wordsTs, casesTs, shadowTs, twinATs, twinBTs, bareTs] },
  { target: "js", modules: [wordsJs, casesJs, shadowJs, twinAJs, twinBJs, bareJs] },
])("awkward names, $target output, over 127.0.0.1", ({ modules }) => {
  const { definitions, factories } = exportsOf(modules);
  let server: StubwrightServer;
  let address: string;
  beforeAll(async () => {
    server = createServer({ onError: () => {} });
    for (const [, definition] of definitions) {
      server.add(definition, createRoutingHandlers(definition));
    }
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });
  afterAll(() => server.forceShutdown());

  it("exports one definition and one client factory per service", () => {
    // words 10, cases 3, shadow 1, twins 2, bare 1
    expect(definitions).toHaveLength(17);
    expect(factories).toHaveLength(17);
  });

  it("routes every method of every client to the method of the same name", async () => {
    const covered = new Set<ServiceDefinition>();
    for (const [name, factory] of factories) {
      const client = factory(address);
      try {
        const keys = Object.keys(client);
        // The client's first method answers with its path, which tells which
        // service this factory's client talks to.
        const [first] = await callByKind(client, definitionOwning(keys[0]!, client), keys[0]!, "probe");
        const owner = definitions.find(([, definition]) => Object.values(definition).some((m) => m.path === first?.method));
        expect(owner, name).toBeDefined();
        const definition = owner![1];
        expect(covered.has(definition), `${name} talks to a service another factory covers`).toBe(false);
        covered.add(definition);
        expect(keys.sort()).toEqual(Object.keys(definition).sort());
        for (const key of keys) {
          expect(await callByKind(client, definition, key, key), `${name}().${key}`).toEqual(expectedAnswers(definition, key, key));
        }
      } finally {
        closeClient(client);
      }
    }
    expect(covered.size).toBe(definitions.length);
  });

  it("every client reads as its service and target in strings, even with RPCs named toString and valueOf", () => {
    // Clients have no prototype (so no RPC name can collide with an inherited
    // member); a symbol-keyed toPrimitive makes them printable anyway.
    for (const [name, factory] of factories) {
      const client = factory(address);
      try {
        const text = `${String(client)} ${client as unknown as string}`;
        expect(text, name).toMatch(/^\[[\w.]+ client for [^\]]*127\.0\.0\.1:\d+\] \[[\w.]+ client for /);
        expect(Object.getPrototypeOf(client), name).toBeNull();
      } finally {
        closeClient(client);
      }
    }
    // service Promise has RPCs named toString and valueOf (methods toString$ and valueOf$).
    const promise = factories.find(([name]) => name === "createPromiseClient");
    const client = promise![1](address);
    try {
      expect(typeof (client as { toString$?: unknown }).toString$).toBe("function");
      expect(`${client as unknown as string}`).toBe(`[naming.words.v1.Promise client for dns:${address}]`);
    } finally {
      closeClient(client);
    }
  });

  /** Some definition that has `key`, only to learn the call kind of the probe. */
  function definitionOwning(key: string, client: object): ServiceDefinition {
    const found = definitions.find(([, definition]) => Object.hasOwn(definition, key) && Object.keys(definition).length === Object.keys(client).length);
    if (found === undefined) {
      throw new Error(`no definition has ${key}`);
    }
    return found[1];
  }
});

describe("awkward names, typed calls over 127.0.0.1", () => {
  let server: StubwrightServer;
  let address: string;
  beforeAll(async () => {
    server = createServer({ onError: () => {} });
    for (const definition of [
      wordsTs.classDefinition,
      wordsTs.PromiseDefinition,
      wordsTs.ClientDefinition,
      wordsTs.CollideDefinition,
      casesTs.WidgetDefinition,
      casesTs.widgetDefinition,
      casesTs.WIDGETDefinition,
      twinATs.TwinDefinition,
      twinBTs.TwinDefinition,
      bareTs.BareDefinition,
      shadowTs.FooDefinition,
    ]) {
      server.add(definition, createRoutingHandlers(definition));
    }
    address = `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
  });
  afterAll(() => server.forceShutdown());

  it("calls methods named like reserved words", async () => {
    const client = wordsTs.createClassClient(address);
    expect((await client.delete({ text: "d" })).method).toBe("/naming.words.v1.class/delete");
    expect((await client.new(fromArray([{ text: "n" }]))).method).toBe("/naming.words.v1.class/new");
    expect((await client.await({ text: "a" })).method).toBe("/naming.words.v1.class/await");
    closeClient(client);
  });

  it("a method named then does not make the client thenable", async () => {
    const client = wordsTs.createPromiseClient(address);
    expect("then" in client).toBe(false);
    // Awaiting the client yields the client itself, without any call.
    expect(await Promise.resolve(client)).toBe(client);
    expect((await client.then$({ text: "t" })).method).toBe("/naming.words.v1.Promise/then");
    expect((await client.constructor$({ text: "c" })).method).toBe("/naming.words.v1.Promise/constructor");
    expect((await client.proto({ text: "p" })).method).toBe("/naming.words.v1.Promise/__proto__");
    closeClient(client);
  });

  it("methods named like grpc-js Client members are RPCs, and the client still closes", async () => {
    const client = wordsTs.createClientClient(address);
    expect((await client.close({ text: "x" })).method).toBe("/naming.words.v1.Client/close");
    expect((await client.makeUnaryRequest({ text: "x" })).method).toBe("/naming.words.v1.Client/makeUnaryRequest");
    expect((await client.getChannel({ text: "x" })).method).toBe("/naming.words.v1.Client/getChannel");
    expect((await client.path({ text: "x" })).method).toBe("/naming.words.v1.Client/path");
    closeClient(client);
    const error = await client.close({ text: "after close" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
  });

  it("methods that collide after lowerCamelCase each reach their own RPC: the one spelled GetFoo is getFoo, the others keep their proto name", async () => {
    const client = wordsTs.createCollideClient(address);
    expect((await client.getFoo({ text: "" })).method).toBe("/naming.words.v1.Collide/GetFoo");
    expect((await client.get_foo({ text: "" })).method).toBe("/naming.words.v1.Collide/get_foo");
    for await (const pong of client.Get_Foo({ text: "" })) {
      expect(pong.method).toBe("/naming.words.v1.Collide/Get_Foo");
    }
    expect((await client.getFoo_(fromArray([]))).method).toBe("/naming.words.v1.Collide/getFoo_");
    expect((await client.then$({ text: "" })).method).toBe("/naming.words.v1.Collide/Then");
    expect((await client.then_({ text: "" })).method).toBe("/naming.words.v1.Collide/then_");
    closeClient(client);
  });

  it("services differing only in case are distinct: Widget's factory is createWidgetClient, widget's createwidgetClient", async () => {
    const clients = [casesTs.createWidgetClient(address), casesTs.createwidgetClient(address), casesTs.createWIDGETClient(address)];
    const paths = await Promise.all(clients.map(async (client) => (await client.call({ text: "" })).method));
    expect(paths).toEqual(["/naming.cases.v1.Widget/Call", "/naming.cases.v1.widget/Call", "/naming.cases.v1.WIDGET/Call"]);
    clients.forEach(closeClient);
  });

  it("the same service name in two packages, served side by side", async () => {
    const a = twinATs.createTwinClient(address);
    const b = twinBTs.createTwinClient(address);
    expect((await a.call({ text: "" })).method).toBe("/naming.twin.a.v1.Twin/Call");
    expect((await b.call({ text: "" })).method).toBe("/naming.twin.b.v1.Twin/Call");
    closeClient(a);
    closeClient(b);
  });

  it("a file without a package", async () => {
    const client = bareTs.createBareClient(address);
    const pong = await client.ping({ text: "x" });
    expect(pong.method).toBe("/Bare/Ping");
    expect(pong.$typeName).toBe("BarePong");
    closeClient(client);
  });

  it("messages named like the globals, imports and exports the generated code uses", async () => {
    const client = shadowTs.createFooClient(address);
    const awaited = await client.await({ text: "x" });
    expect(awaited.$typeName).toBe("naming.shadow.v1.AsyncIterable");
    const own = await client.own({ text: "x" });
    expect(own.$typeName).toBe("naming.shadow.v1.FooHandlers");
    const opts = await client.opts({ text: "x" });
    expect(opts.$typeName).toBe("naming.shadow.v1.Promise");
    closeClient(client);
  });
});

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
