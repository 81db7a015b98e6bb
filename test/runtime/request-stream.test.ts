import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { PreparedCall } from "../../packages/runtime/src/client/prepared-call.js";
import { writeRequests } from "../../packages/runtime/src/client/request-stream.js";

/** A grpc-js-like request stream that records what it was given, and a call whose state the test sets. */
function recordingStream() {
  const written: unknown[] = [];
  let halfClosed = false;
  const stream = new Writable({
    objectMode: true,
    write(chunk, _encoding, done) {
      written.push(chunk);
      done();
    },
    final(done) {
      halfClosed = true;
      done();
    },
  });
  const state = { stopped: false };
  const call = {
    get ended() {
      return false;
    },
    get stopped() {
      return state.stopped;
    },
    onEnd: () => () => {},
  } as unknown as PreparedCall;
  return { stream, call, state, written, halfClosed: () => halfClosed };
}

describe("writeRequests", () => {
  it("half-closes after the last request of an iterable that completes", async () => {
    const { stream, call, written, halfClosed } = recordingStream();
    await writeRequests(
      stream,
      (async function* () {
        yield "a";
        yield "b";
      })(),
      call,
    );
    expect(written).toEqual(["a", "b"]);
    expect(halfClosed()).toBe(true);
  });

  it("never half-closes a call cancelled while the iterable was running, even if the iterable then completes", async () => {
    const { stream, call, state, written, halfClosed } = recordingStream();
    await writeRequests(
      stream,
      (async function* () {
        yield "a";
        // The caller cancels, and its iterable ends normally right after.
        state.stopped = true;
      })(),
      call,
    );
    // Let a half-close, had one been asked for, reach the stream.
    await new Promise(setImmediate);
    expect(written).toEqual(["a"]);
    expect(halfClosed()).toBe(false);
  });

  it("stops consuming the iterable once the call is cancelled", async () => {
    const { stream, call, state, written } = recordingStream();
    let pulled = 0;
    await writeRequests(
      stream,
      (async function* () {
        for (;;) {
          pulled++;
          if (pulled === 3) state.stopped = true;
          yield pulled;
          if (pulled > 10) throw new Error("kept reading a cancelled call's requests");
        }
      })(),
      call,
    );
    expect(written).toEqual([1, 2]);
  });
});
