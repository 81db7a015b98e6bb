import { createServer as createHttp2Server, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, type RpcError, closeClient } from "@stubwright/runtime";
import { maxWireTimeoutMs } from "@stubwright/runtime/deadline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { failOnUnhandledRejections, rejection, startEchoServer, type EchoServer } from "../support/echo-server.js";
import { withFakeClock } from "../support/fake-clock.js";

failOnUnhandledRejections();

/**
 * A bare HTTP/2 server that records the grpc-timeout header of every request
 * and answers UNIMPLEMENTED (trailers only): what really goes on the wire.
 */
let wire: Http2Server;
let seen: (string | undefined)[] = [];
let client: EchoServiceClient;
/** A Stubwright server whose handler calls the bare server: the inherited deadline on the wire. */
let forwarder: EchoServer;

beforeAll(async () => {
  wire = createHttp2Server();
  wire.on("stream", (stream, headers) => {
    seen.push(headers["grpc-timeout"] as string | undefined);
    stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12", "grpc-message": "bare" }, { endStream: true });
  });
  await new Promise<void>((resolve) => wire.listen(0, "127.0.0.1", resolve));
  client = createEchoServiceClient(`127.0.0.1:${(wire.address() as AddressInfo).port}`);
  forwarder = await startEchoServer({
    async echo(request) {
      await client.echo(request).catch(() => {});
      return {};
    },
  });
});
afterAll(async () => {
  closeClient(client);
  forwarder.close();
  await new Promise((resolve) => wire.close(resolve));
});
beforeEach(() => {
  seen = [];
});

/** Makes a call with `options` and returns the grpc-timeout the server received. */
async function timeoutOnWire(options: Parameters<EchoServiceClient["echo"]>[1]): Promise<string | undefined> {
  const error = (await rejection(client.echo({}, options))) as RpcError;
  expect(error.code).toBe(Code.UNIMPLEMENTED);
  expect(seen).toHaveLength(1);
  return seen[0];
}

function parse(header: string | undefined): { value: number; unit: string } {
  const match = /^(\d{1,8})([HMSmun])$/.exec(header ?? "");
  expect(match, `grpc-timeout ${header}`).not.toBeNull();
  return { value: Number(match![1]), unit: match![2]! };
}

// On a fake clock, which stands still until a test advances it: what reaches
// the server is exactly the timeout the client was given, rounded up to whole
// units, however long the call took to get there.
describe("grpc-timeout on the wire", () => {
  it("is absent without a deadline, and for an infinite timeout", () =>
    withFakeClock(async () => {
      expect(await timeoutOnWire({})).toBeUndefined();
      seen = [];
      expect(await timeoutOnWire({ timeoutMs: Infinity })).toBeUndefined();
    }));

  it("carries milliseconds for short timeouts", () =>
    withFakeClock(async () => {
      expect(await timeoutOnWire({ timeoutMs: 1_500 })).toBe("1500m");
    }));

  it("rounds a sub-millisecond remainder up", () =>
    withFakeClock(async () => {
      expect(await timeoutOnWire({ timeoutMs: 0.5 })).toBe("1m");
      seen = [];
      expect(await timeoutOnWire({ timeoutMs: 1_000.3 })).toBe("1001m");
    }));

  it("a Date deadline and an epoch-ms deadline become the same timeout", () =>
    withFakeClock(async () => {
      expect(await timeoutOnWire({ deadline: new Date(Date.now() + 3_000) })).toBe("3000m");
      seen = [];
      expect(await timeoutOnWire({ deadline: Date.now() + 3_000 })).toBe("3000m");
    }));

  it("switches to seconds once milliseconds would need more than 8 digits", () =>
    withFakeClock(async () => {
      expect(await timeoutOnWire({ timeoutMs: 99_999_999 })).toBe("99999999m");
      seen = [];
      expect(await timeoutOnWire({ timeoutMs: 150_000_000 })).toBe("150000S");
    }));

  it.each([
    ["30 days", 30 * 24 * 3600 * 1000],
    ["1000 years", 1000 * 365 * 24 * 3600 * 1000],
    ["beyond Date's range", 1e300],
  ])("clamps a deadline %s away to the longest grpc-js servers decode (2^31 ms)", (_label, timeoutMs) =>
    withFakeClock(async () => {
      const { value, unit } = parse(await timeoutOnWire({ timeoutMs }));
      expect(unit).toBe("S");
      expect(value).toBe(maxWireTimeoutMs / 1000);
      expect(value * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    }),
  );

  it("carries the inherited deadline of a call made inside a handler", () =>
    withFakeClock(async () => {
      await forwarder.client.echo({}, { timeoutMs: 2_500 });
      expect(seen).toEqual(["2500m"]);
    }));
});

describe("deadlines far away, end to end", () => {
  it("a 30-day timeout neither fails early nor reaches the server wrapped around", async () => {
    const echo = await startEchoServer({
      async echo(_request, context) {
        return { deadlineMs: BigInt(Math.round(context.timeRemainingMs())) };
      },
    });
    try {
      const response = await echo.client.echo({}, { timeoutMs: 30 * 24 * 3600 * 1000 });
      const remaining = Number(response.deadlineMs);
      expect(remaining).toBeGreaterThan(maxWireTimeoutMs - 60_000);
      expect(remaining).toBeLessThanOrEqual(maxWireTimeoutMs);
    } finally {
      echo.close();
    }
  });
});
