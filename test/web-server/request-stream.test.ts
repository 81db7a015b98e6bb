import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { encodeEnvelope } from "../../packages/runtime/src/protocol-envelope/envelope.js";
import { feedRequestStream } from "../../packages/runtime/src/web-server/request-stream.js";
import type { CallStatus } from "../../packages/runtime/src/web-server/web-call.js";

/** A request body as Node hands it over, counting pause() and resume(); `stream` makes it an HTTP/2 one. */
class FakeRequest extends EventEmitter {
  pauses = 0;
  resumes = 0;
  complete = true;
  constructor(
    readonly headers: Record<string, string> = {},
    readonly stream?: { destroyed: boolean; rstCode: number | undefined },
  ) {
    super();
  }
  pause(): this {
    this.pauses++;
    return this;
  }
  resume(): this {
    this.resumes++;
    return this;
  }
}

/** The request side of a WebCall: an object-mode Readable holding two messages before it asks the body to wait. */
class FakeCall extends Readable {
  settled = false;
  /** True once the feeder ended the request stream (pushed null). */
  ended = false;
  onRequestDemand: (() => void) | undefined;
  readonly failures: CallStatus[] = [];
  constructor() {
    super({ objectMode: true, highWaterMark: 2 });
  }
  override _read(): void {
    this.onRequestDemand?.();
  }
  override push(chunk: unknown): boolean {
    this.ended ||= chunk === null;
    return super.push(chunk);
  }
  failRequests(status: CallStatus): void {
    this.failures.push(status);
  }
}

const text = new TextEncoder();
const frame = (message: string): Buffer => Buffer.from(encodeEnvelope(0, text.encode(message)));

function feed(request: FakeRequest): FakeCall {
  const call = new FakeCall();
  feedRequestStream(request as never, call as never, {
    decode: (bytes) => new TextDecoder().decode(bytes),
    compressed: false,
    encodingHeader: "grpc-encoding",
    maxReceiveBytes: 1024,
  });
  return call;
}

function readAll(call: FakeCall): unknown[] {
  const messages: unknown[] = [];
  for (let message = call.read(); message !== null; message = call.read()) {
    messages.push(message);
  }
  return messages;
}

describe("feedRequestStream", () => {
  it("pauses the body while the handler's buffer is full and resumes it as the handler reads", () => {
    const request = new FakeRequest();
    const call = feed(request);
    request.emit("data", Buffer.concat([frame("a"), frame("b"), frame("c")]));
    expect(request.pauses).toBeGreaterThan(0);
    const resumesBefore = request.resumes;
    expect(readAll(call)).toEqual(["a", "b", "c"]);
    expect(request.resumes).toBeGreaterThan(resumesBefore);
  });

  it("reassembles messages cut across chunks, in order, and ends after a complete body", async () => {
    const request = new FakeRequest();
    const call = feed(request);
    const bytes = Buffer.concat([frame("first"), frame("second")]);
    for (let offset = 0; offset < bytes.length; offset += 3) {
      request.emit("data", bytes.subarray(offset, offset + 3));
    }
    request.emit("end");
    const messages: unknown[] = [];
    for await (const message of call) {
      messages.push(message);
    }
    expect(messages).toEqual(["first", "second"]);
  });

  it("never ends the stream for a body cut off: an HTTP/2 stream already reset, a body short of its Content-Length, an incomplete HTTP/1.1 body", () => {
    const cases = [
      new FakeRequest({}, { destroyed: false, rstCode: 8 }),
      new FakeRequest({ "content-length": "100" }),
      Object.assign(new FakeRequest(), { complete: false }),
    ];
    for (const request of cases) {
      const call = feed(request);
      request.emit("data", frame("a"));
      request.emit("end");
      expect(readAll(call)).toEqual(["a"]);
      expect(call.ended).toBe(false);
    }
  });

  it("ends the stream for an HTTP/2 half-close", () => {
    const request = new FakeRequest({}, { destroyed: false, rstCode: undefined });
    const call = feed(request);
    request.emit("data", frame("a"));
    request.emit("end");
    expect(readAll(call)).toEqual(["a"]);
    expect(call.ended).toBe(true);
  });

  it("fails the call for a body that ends inside a message, or a message over the limit", () => {
    const truncated = new FakeRequest();
    const first = feed(truncated);
    truncated.emit("data", frame("abc").subarray(0, 6));
    truncated.emit("end");
    expect(first.failures.map((status) => status.code)).toEqual([3]);
    const oversized = new FakeRequest();
    const second = feed(oversized);
    oversized.emit("data", frame("x".repeat(2000)));
    expect(second.failures.map((status) => status.code)).toEqual([8]);
  });
});
