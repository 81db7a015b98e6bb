import { maxWireTimeout, resolveDeadline, timeRemaining, wireDeadline } from "@stubwright/runtime";
import { describe, expect, it } from "vitest";

describe("resolveDeadline", () => {
  const now = 1_000_000;

  it("is Infinity without any deadline", () => {
    expect(resolveDeadline({}, now)).toBe(Infinity);
    expect(resolveDeadline({ timeout: Infinity }, now)).toBe(Infinity);
  });

  it("takes the earliest of timeout, deadline (Date or ms) and the inherited deadline", () => {
    expect(resolveDeadline({ timeout: 500 }, now)).toBe(now + 500);
    expect(resolveDeadline({ deadline: new Date(now + 300) }, now)).toBe(now + 300);
    expect(resolveDeadline({ deadline: now + 300 }, now)).toBe(now + 300);
    expect(resolveDeadline({ timeout: 500, deadline: now + 300 }, now)).toBe(now + 300);
    expect(resolveDeadline({ timeout: 500, inherited: now + 200 }, now)).toBe(now + 200);
    expect(resolveDeadline({ timeout: 100, inherited: now + 200 }, now)).toBe(now + 100);
    expect(resolveDeadline({ inherited: Infinity }, now)).toBe(Infinity);
  });

  it("keeps sub-millisecond timeouts and treats negative ones as spent", () => {
    expect(resolveDeadline({ timeout: 0.25 }, now)).toBe(now + 0.25);
    expect(resolveDeadline({ timeout: -5 }, now)).toBe(now);
  });

  it("rejects a NaN timeout and ignores an invalid Date", () => {
    expect(() => resolveDeadline({ timeout: Number.NaN }, now)).toThrow(TypeError);
    expect(resolveDeadline({ deadline: new Date(Number.NaN) }, now)).toBe(Infinity);
  });
});

describe("wireDeadline", () => {
  const now = 5_000;

  it("sends nothing for no deadline and the deadline itself when it is near", () => {
    expect(wireDeadline(Infinity, now)).toBeUndefined();
    expect(wireDeadline(now + 1_000, now)).toBe(now + 1_000);
    expect(wireDeadline(now + maxWireTimeout, now)).toBe(now + maxWireTimeout);
  });

  it("brings a far deadline forward to what grpc-js servers can decode", () => {
    expect(wireDeadline(now + maxWireTimeout + 1, now)).toBe(now + maxWireTimeout);
    expect(wireDeadline(1e300, now)).toBe(now + maxWireTimeout);
    // Whole seconds (grpc-js's unit above 10^8 ms) that stay below 2^31 ms.
    expect(maxWireTimeout % 1000).toBe(0);
    expect(maxWireTimeout).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(maxWireTimeout + 1000).toBeGreaterThan(2 ** 31 - 1);
  });
});

describe("timeRemaining", () => {
  it("never goes negative and is Infinity without a deadline", () => {
    expect(timeRemaining(100, 200)).toBe(0);
    expect(timeRemaining(300, 200)).toBe(100);
    expect(timeRemaining(Infinity, 200)).toBe(Infinity);
  });
});
