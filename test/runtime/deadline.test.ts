import { maxWireTimeoutMs, resolveDeadline, timeRemainingMs, wireDeadline } from "@stubwright/runtime/deadline";
import { describe, expect, it } from "vitest";

describe("resolveDeadline", () => {
  const now = 1_000_000;

  it("is Infinity without any deadline", () => {
    expect(resolveDeadline({}, now)).toBe(Infinity);
    expect(resolveDeadline({ timeoutMs: Infinity }, now)).toBe(Infinity);
  });

  it("takes the earliest of timeout, deadline (Date or ms) and the inherited deadline", () => {
    expect(resolveDeadline({ timeoutMs: 500 }, now)).toBe(now + 500);
    expect(resolveDeadline({ deadline: new Date(now + 300) }, now)).toBe(now + 300);
    expect(resolveDeadline({ deadline: now + 300 }, now)).toBe(now + 300);
    expect(resolveDeadline({ timeoutMs: 500, deadline: now + 300 }, now)).toBe(now + 300);
    expect(resolveDeadline({ timeoutMs: 500, inherited: now + 200 }, now)).toBe(now + 200);
    expect(resolveDeadline({ timeoutMs: 100, inherited: now + 200 }, now)).toBe(now + 100);
    expect(resolveDeadline({ inherited: Infinity }, now)).toBe(Infinity);
  });

  it("keeps sub-millisecond timeouts and treats negative ones as spent", () => {
    expect(resolveDeadline({ timeoutMs: 0.25 }, now)).toBe(now + 0.25);
    expect(resolveDeadline({ timeoutMs: -5 }, now)).toBe(now);
  });

  it("rejects a NaN timeout and ignores an invalid Date", () => {
    expect(() => resolveDeadline({ timeoutMs: Number.NaN }, now)).toThrow(TypeError);
    expect(resolveDeadline({ deadline: new Date(Number.NaN) }, now)).toBe(Infinity);
  });
});

describe("wireDeadline", () => {
  const now = 5_000;

  it("sends nothing for no deadline and the deadline itself when it is near", () => {
    expect(wireDeadline(Infinity, now)).toBeUndefined();
    expect(wireDeadline(now + 1_000, now)).toBe(now + 1_000);
    expect(wireDeadline(now + maxWireTimeoutMs, now)).toBe(now + maxWireTimeoutMs);
  });

  it("brings a far deadline forward to what grpc-js servers can decode", () => {
    expect(wireDeadline(now + maxWireTimeoutMs + 1, now)).toBe(now + maxWireTimeoutMs);
    expect(wireDeadline(1e300, now)).toBe(now + maxWireTimeoutMs);
    // Whole seconds (grpc-js's unit above 10^8 ms) that stay below 2^31 ms.
    expect(maxWireTimeoutMs % 1000).toBe(0);
    expect(maxWireTimeoutMs).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(maxWireTimeoutMs + 1000).toBeGreaterThan(2 ** 31 - 1);
  });
});

describe("timeRemainingMs", () => {
  it("never goes negative and is Infinity without a deadline", () => {
    expect(timeRemainingMs(100, 200)).toBe(0);
    expect(timeRemainingMs(300, 200)).toBe(100);
    expect(timeRemainingMs(Infinity, 200)).toBe(Infinity);
  });
});
