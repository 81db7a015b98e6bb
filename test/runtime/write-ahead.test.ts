import { ServerInterceptingCall, type ServerInterceptingCallInterface, type ServerMethodDefinition } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { writeAhead } from "../../packages/runtime/src/transports/grpc-js/write-ahead.js";

/** A stand-in for grpc-js's own call: records messages and lets the test complete their writes. */
class FakeCall {
  readonly sent: unknown[] = [];
  readonly completions: (() => void)[] = [];
  start(): void {}
  sendMetadata(): void {}
  sendMessage(message: unknown, callback: () => void): void {
    this.sent.push(message);
    this.completions.push(callback);
  }
  sendStatus(): void {}
  startRead(): void {}
  getPeer(): string {
    return "peer";
  }
  getDeadline(): number {
    return Number.POSITIVE_INFINITY;
  }
  getHost(): string {
    return "host";
  }
  getAuthContext(): object {
    return {};
  }
  getConnectionInfo(): object {
    return {};
  }
  getMetricsRecorder(): object {
    return {};
  }
}

const streaming = { path: "/s.S/M", requestStream: false, responseStream: true } as ServerMethodDefinition<unknown, unknown>;
const unary = { ...streaming, responseStream: false } as ServerMethodDefinition<unknown, unknown>;

function wrap(inner: object, method = streaming): ServerInterceptingCallInterface {
  return writeAhead(method, inner as ServerInterceptingCallInterface);
}

describe("writeAhead", () => {
  it("acknowledges messages before their writes complete, up to 64 KiB, then waits for completions", () => {
    const inner = new FakeCall();
    const call = wrap(inner);
    let acknowledged = 0;
    for (let i = 0; i < 3; i++) call.sendMessage(Buffer.alloc(16 * 1024), () => acknowledged++);
    expect(acknowledged).toBe(3);
    call.sendMessage(Buffer.alloc(16 * 1024), () => acknowledged++);
    // 64 KiB now in flight: the fourth waits.
    expect(acknowledged).toBe(3);
    expect(inner.sent).toHaveLength(4);
    inner.completions[0]?.();
    expect(acknowledged).toBe(4);
  });

  it("bounds messages of unknown size by count", () => {
    const inner = new FakeCall();
    const call = wrap(inner);
    let acknowledged = 0;
    for (let i = 0; i < 40; i++) {
      if (i === acknowledged) call.sendMessage({ i }, () => acknowledged++);
    }
    expect(acknowledged).toBe(31);
    expect(inner.sent).toHaveLength(32);
    for (const complete of inner.completions.splice(0)) complete();
    expect(acknowledged).toBe(32);
  });

  it("passes every other method on", () => {
    const inner = new FakeCall();
    const call = wrap(inner);
    expect(call).not.toBe(inner);
    expect(call.getPeer()).toBe("peer");
    expect(call.getHost()).toBe("host");
  });

  it("steps aside for unary responses, above another interceptor's call, and for calls with methods it does not know", () => {
    const inner = new FakeCall();
    expect(wrap(inner, unary)).toBe(inner);
    const intercepting = new ServerInterceptingCall(inner as unknown as ServerInterceptingCallInterface);
    expect(wrap(intercepting)).toBe(intercepting);
    class LaterCall extends FakeCall {
      sendCompressed(): void {}
    }
    expect(wrap(new LaterCall())).toBeInstanceOf(LaterCall);
    // Also when the new method comes from a base class.
    class Subclass extends LaterCall {}
    expect(wrap(new Subclass())).toBeInstanceOf(Subclass);
  });
});
