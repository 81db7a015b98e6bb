import { closeClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { addressListTarget } from "@stubwright/runtime/channel";
import { afterEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";

const servers: StubwrightServer[] = [];
let client: EchoServiceClient | undefined;
afterEach(() => {
  if (client !== undefined) closeClient(client);
  for (const server of servers.splice(0)) server.forceShutdown();
});

/** Starts an echo server on 127.0.0.1 that answers with its own name. */
async function startNamed(name: string): Promise<string> {
  const server = createServer().add(EchoServiceDefinition, { ...createEchoService(), echo: () => ({ message: name }) });
  servers.push(server);
  return `127.0.0.1:${await server.listen("127.0.0.1:0")}`;
}

async function answers(count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push((await (client as EchoServiceClient).echo({})).message);
  return names;
}

/**
 * Calls until each of `names` has answered: round_robin only picks servers it
 * has connected to, and how many calls the first connection serves alone
 * depends on the machine's speed. Bounded: a server that never answers fails
 * the test after many calls.
 */
async function answersUntilEach(names: readonly string[]): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 3_000 && !names.every((name) => seen.includes(name)); i++) {
    seen.push((await (client as EchoServiceClient).echo({})).message);
  }
  return seen;
}

describe("client-side load balancing", () => {
  it("round_robin spreads calls over three servers and keeps working when one stops", async () => {
    const addresses = [await startNamed("a"), await startNamed("b"), await startNamed("c")];
    client = createEchoServiceClient(addresses, { loadBalancing: "round_robin" });
    const first = await answersUntilEach(["a", "b", "c"]);
    expect(new Set(first)).toEqual(new Set(["a", "b", "c"]));
    await servers[1]?.shutdown({ graceMs: 1000 });
    const after = await answers(30);
    expect(new Set(after)).toEqual(new Set(["a", "c"]));
  });

  it("keeps working when a server is killed without notice (forced stop)", async () => {
    const addresses = [await startNamed("a"), await startNamed("b"), await startNamed("c")];
    client = createEchoServiceClient(addresses, { loadBalancing: "round_robin" });
    expect(new Set(await answersUntilEach(["a", "b", "c"]))).toEqual(new Set(["a", "b", "c"]));
    servers[2]?.forceShutdown();
    const after = await answers(30);
    expect(after.filter((name) => name === "c")).toEqual([]);
    expect(new Set(after)).toEqual(new Set(["a", "b"]));
  });

  it("addressListTarget builds grpc-js targets and rejects what it cannot", () => {
    expect(addressListTarget(["127.0.0.1:1", "127.0.0.1:2"])).toBe("ipv4:127.0.0.1:1,127.0.0.1:2");
    expect(addressListTarget(["[::1]:1"])).toBe("ipv6:[::1]:1");
    expect(() => addressListTarget(["127.0.0.1:1", "[::1]:2"])).toThrow(/one family/);
    expect(() => addressListTarget(["localhost:1"])).toThrow(/not an IP address/);
    expect(() => addressListTarget([])).toThrow(/at least one/);
  });
});
