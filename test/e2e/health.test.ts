import { Code, closeClient, createServer, type StubwrightServer } from "@stubwright/runtime";
import { ServingStatus, addHealthService, createHealthClient, type HealthClient, type HealthService } from "@stubwright/runtime/health";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EchoServiceDefinition } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";

let server: StubwrightServer;
let health: HealthService;
let client: HealthClient;

beforeEach(async () => {
  server = createServer().add(EchoServiceDefinition, createEchoService());
  health = addHealthService(server);
  health.setStatus("fixture.echo.v1.EchoService", ServingStatus.SERVING);
  const port = await server.listen("127.0.0.1:0");
  client = createHealthClient(`127.0.0.1:${port}`);
});
afterEach(() => {
  closeClient(client);
  server.forceShutdown();
});

describe("grpc.health.v1.Health", () => {
  it("Check answers per service, NOT_FOUND for unknown ones", async () => {
    expect((await client.check({})).status).toBe(ServingStatus.SERVING);
    expect((await client.check({ service: "fixture.echo.v1.EchoService" })).status).toBe(ServingStatus.SERVING);
    health.setStatus("fixture.echo.v1.EchoService", ServingStatus.NOT_SERVING);
    expect((await client.check({ service: "fixture.echo.v1.EchoService" })).status).toBe(ServingStatus.NOT_SERVING);
    await expect(client.check({ service: "no.Such" })).rejects.toMatchObject({ code: Code.NOT_FOUND });
  });

  it("List returns every service's status", async () => {
    health.setStatus("other.Service", ServingStatus.NOT_SERVING);
    const { statuses } = await client.list({});
    expect(Object.fromEntries(Object.entries(statuses).map(([name, response]) => [name, response.status]))).toEqual({
      "": ServingStatus.SERVING,
      "fixture.echo.v1.EchoService": ServingStatus.SERVING,
      "other.Service": ServingStatus.NOT_SERVING,
    });
  });

  it("Watch streams the current status and each change, SERVICE_UNKNOWN for unknown services", async () => {
    const watch = client.watch({ service: "late.Service" })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.status).toBe(ServingStatus.SERVICE_UNKNOWN);
    health.setStatus("late.Service", ServingStatus.SERVING);
    expect((await watch.next()).value?.status).toBe(ServingStatus.SERVING);
    health.setStatus("late.Service", ServingStatus.SERVING); // unchanged: nothing sent
    health.setStatus("late.Service", ServingStatus.NOT_SERVING);
    expect((await watch.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    await watch.return?.();
  });

  it("turns everything NOT_SERVING when shutdown begins and ends Watch streams cleanly", async () => {
    const watch = client.watch({ service: "fixture.echo.v1.EchoService" })[Symbol.asyncIterator]();
    expect((await watch.next()).value?.status).toBe(ServingStatus.SERVING);
    const shutdown = server.shutdown({ graceMs: 30_000 });
    expect(health.getStatus("")).toBe(ServingStatus.NOT_SERVING);
    expect(health.getStatus("fixture.echo.v1.EchoService")).toBe(ServingStatus.NOT_SERVING);
    expect((await watch.next()).value?.status).toBe(ServingStatus.NOT_SERVING);
    // The stream ends with OK (not UNAVAILABLE from the grace period running out)...
    expect((await watch.next()).done).toBe(true);
    // ...so graceful shutdown does not wait for watchers.
    await shutdown;
    health.setStatus("", ServingStatus.SERVING);
    expect(health.getStatus("")).toBe(ServingStatus.NOT_SERVING);
  });
});
