import { connectivityState } from "@grpc/grpc-js";
import { Code, closeClient, createServer, RpcError, type ClientOptions, type StubwrightServer } from "@stubwright/runtime";
import { createServiceConfig, getGrpcClient } from "@stubwright/runtime/channel";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reachState } from "../support/connectivity.js";
import { FlakyServiceDefinition, createFlakyServiceClient, type FlakyServiceClient } from "../golden/ts/fixture/retry/v1/flaky_grpc.js";
import type { AttemptRequest } from "../golden/ts/fixture/retry/v1/flaky_pb.js";

/** Attempts seen per key. */
const attempts = new Map<string, number>();
let server: StubwrightServer;
let port: number;
let nextKey = 0;

/** Counts the attempt; fails with UNAVAILABLE while it is within `failures`. */
async function attempt(request: AttemptRequest) {
  const count = (attempts.get(request.key) ?? 0) + 1;
  attempts.set(request.key, count);
  if (request.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, request.delayMs));
  if (count <= request.failures) throw new RpcError(Code.UNAVAILABLE, `attempt ${count} fails`);
  return { attempt: count };
}

/** A FlakyService server, not yet listening. */
function createFlakyServer(): StubwrightServer {
  return createServer().add(FlakyServiceDefinition, {
    read: attempt,
    put: attempt,
    append: attempt,
    async *watch(request) {
      yield await attempt(request);
    },
  });
}

beforeAll(async () => {
  server = createFlakyServer();
  port = await server.listen("127.0.0.1:0");
});
afterAll(() => server.forceShutdown());

/** A fresh key, so every test counts its own attempts. */
const key = () => `k${nextKey++}`;

async function withClient<T>(options: ClientOptions, fn: (client: FlakyServiceClient) => Promise<T>): Promise<T> {
  // Short backoff keeps the test fast; the policy shape is the default one.
  const client = createFlakyServiceClient(`127.0.0.1:${port}`, { retry: { initialBackoffMs: 10, maxBackoffMs: 50 }, ...options });
  try {
    return await fn(client);
  } finally {
    closeClient(client);
  }
}

describe("retries derived from idempotency_level", () => {
  it("retries NO_SIDE_EFFECTS and IDEMPOTENT methods through two UNAVAILABLE failures", async () => {
    await withClient({}, async (client) => {
      expect((await client.read({ key: key(), failures: 2 })).attempt).toBe(3);
      expect((await client.put({ key: key(), failures: 2 })).attempt).toBe(3);
      const streamed = [];
      for await (const response of client.watch({ key: key(), failures: 2 })) streamed.push(response.attempt);
      expect(streamed).toEqual([3]);
    });
  });

  it("never retries a method without an idempotency level", async () => {
    const k = key();
    await withClient({}, async (client) => {
      await expect(client.append({ key: k, failures: 2 })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
    });
    expect(attempts.get(k)).toBe(1);
  });

  it("retry: false, a custom policy and the user's own service config override the default", async () => {
    const off = key();
    await withClient({ retry: false }, (client) => expect(client.read({ key: off, failures: 1 })).rejects.toMatchObject({ code: Code.UNAVAILABLE }));
    expect(attempts.get(off)).toBe(1);
    const two = key();
    await withClient({ retry: { maxAttempts: 2, initialBackoffMs: 10 } }, (client) =>
      expect(client.read({ key: two, failures: 2 })).rejects.toMatchObject({ code: Code.UNAVAILABLE }),
    );
    expect(attempts.get(two)).toBe(2);
    const own = key();
    await withClient({ channelOptions: { "grpc.service_config": JSON.stringify({ methodConfig: [], loadBalancingConfig: [] }) } }, (client) =>
      expect(client.read({ key: own, failures: 1 })).rejects.toMatchObject({ code: Code.UNAVAILABLE }),
    );
    expect(attempts.get(own)).toBe(1);
  });

  it("stops retrying at the call's deadline", async () => {
    const k = key();
    await withClient({ retry: { maxAttempts: 5, initialBackoffMs: 10 } }, (client) =>
      expect(client.read({ key: k, failures: 10, delayMs: 100 }, { timeoutMs: 250 })).rejects.toMatchObject({ code: Code.DEADLINE_EXCEEDED }),
    );
    // Each attempt takes 100 ms, so at most three fit in 250 ms: fewer than the five allowed.
    expect(attempts.get(k)).toBeLessThanOrEqual(3);
  });

  it("createServiceConfig lists exactly the safe methods", () => {
    const config = createServiceConfig(FlakyServiceDefinition);
    expect(config?.methodConfig[0]?.name).toEqual([
      { service: "fixture.retry.v1.FlakyService", method: "Read" },
      { service: "fixture.retry.v1.FlakyService", method: "Put" },
      { service: "fixture.retry.v1.FlakyService", method: "Watch" },
    ]);
    expect(config?.methodConfig[0]?.retryPolicy).toEqual({
      maxAttempts: 5,
      initialBackoff: "0.125s",
      maxBackoff: "1s",
      backoffMultiplier: 2,
      retryableStatusCodes: ["UNAVAILABLE"],
    });
    expect(() => createServiceConfig(FlakyServiceDefinition, { retry: { maxAttempts: 1 } })).toThrow(RangeError);
  });
});

describe("reconnecting", () => {
  it("a call with the default retry policy outlasts a server restart on the same port", async () => {
    const first = createFlakyServer();
    const restartPort = await first.listen("127.0.0.1:0");
    // grpc-js's 1 s reconnect backoff is cut to 100 ms here, so that how soon a busy machine
    // gets the second server listening cannot decide the outcome; the policy stays the default
    // (the test below checks that it outlasts the real 1 s).
    const client = createFlakyServiceClient(`127.0.0.1:${restartPort}`, {
      channelOptions: { "grpc.initial_reconnect_backoff_ms": 100 },
    });
    const channel = getGrpcClient(client).getChannel();
    let second: StubwrightServer | undefined;
    try {
      expect((await client.read({ key: key() })).attempt).toBe(1);
      first.forceShutdown();
      await reachState(channel, connectivityState.IDLE);
      const k = key();
      const call = client.read({ key: k }, { timeoutMs: 20_000 });
      // The first attempt found nothing listening; grpc-js now waits out its reconnect backoff.
      await reachState(channel, connectivityState.TRANSIENT_FAILURE);
      second = createFlakyServer();
      await second.listen(`127.0.0.1:${restartPort}`);
      expect((await call).attempt).toBe(1);
    } finally {
      closeClient(client);
      first.forceShutdown();
      second?.forceShutdown();
    }
  });

  it("the default policy's shortest retry span outlasts grpc-js's longest first reconnect backoff", () => {
    const [config] = createServiceConfig(FlakyServiceDefinition)?.methodConfig ?? [];
    const policy = config?.retryPolicy;
    expect(policy).toBeDefined();
    const initialMs = Number.parseFloat(policy!.initialBackoff) * 1000;
    const maxMs = Number.parseFloat(policy!.maxBackoff) * 1000;
    let spanMs = 0;
    for (let retry = 0, backoffMs = initialMs; retry < policy!.maxAttempts - 1; retry++, backoffMs = Math.min(backoffMs * policy!.backoffMultiplier, maxMs)) {
      spanMs += 0.8 * backoffMs; // grpc-js jitters each retry backoff by ±20 %
    }
    // grpc-js's first reconnect comes 1 s (±20 %) after a failed connection attempt.
    expect(spanMs).toBeGreaterThanOrEqual(1200 + 250);
  });

  it("waitForReady holds a call until the server is up; without it the call fails at once", async () => {
    // A port nothing listens on: taken, then freed.
    const probe = createFlakyServer();
    const laterPort = await probe.listen("127.0.0.1:0");
    probe.forceShutdown();
    const client = createFlakyServiceClient(`127.0.0.1:${laterPort}`, { retry: false });
    const channel = getGrpcClient(client).getChannel();
    let later: StubwrightServer | undefined;
    try {
      await expect(client.read({ key: key() }, { timeoutMs: 20_000 })).rejects.toMatchObject({ code: Code.UNAVAILABLE });
      await reachState(channel, connectivityState.TRANSIENT_FAILURE);
      const k = key();
      const call = client.read({ key: k }, { waitForReady: true, timeoutMs: 20_000 });
      later = createFlakyServer();
      await later.listen(`127.0.0.1:${laterPort}`);
      expect((await call).attempt).toBe(1);
      expect(attempts.get(k)).toBe(1);
    } finally {
      closeClient(client);
      later?.forceShutdown();
    }
  });
});
