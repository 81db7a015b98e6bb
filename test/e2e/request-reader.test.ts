import { describe, expect, it } from "vitest";
import { drain, failOnUnhandledRejections, fromArray, startEchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

// The server reads request streams with its own async iterator (see
// packages/runtime/src/server/request-reader.ts); these pin down the parts
// of generator behaviour it has to reproduce. Cancellation, deadlines and
// handler failures while reading are covered in streams.test.ts,
// timeouts-and-cancellation.test.ts and handler-errors.test.ts.
describe("server request streams", () => {
  it("serves overlapping next() calls in order, then reports the end to each", async () => {
    const echo = await startEchoServer({
      async collect(requests) {
        const iterator = requests[Symbol.asyncIterator]();
        const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next(), iterator.next()]);
        return { message: results.map((result) => (result.done === true ? "done" : result.value.message)).join(",") };
      },
    });
    try {
      const response = await echo.client.collect(fromArray([{ message: "a" }, { message: "b" }, { message: "c" }]));
      expect(response.message).toBe("a,b,c,done,done");
    } finally {
      echo.close();
    }
  });

  it("bidi: stopping reading early keeps the response side open", async () => {
    const echo = await startEchoServer({
      async *chat(requests) {
        let first = "";
        for await (const request of requests) {
          first = request.message;
          break;
        }
        yield { message: `first ${first}` };
        yield { message: "still sending", index: 1 };
      },
    });
    try {
      const { items, error } = await drain(echo.client.chat(fromArray([{ message: "a" }, { message: "b" }, { message: "c" }])));
      expect(error).toBeUndefined();
      expect(items.map((item) => item.message)).toEqual(["first a", "still sending"]);
    } finally {
      echo.close();
    }
  });

  it("after return(), next() reports the end; a handler that never reads still answers", async () => {
    const echo = await startEchoServer({
      async collect(requests, context) {
        const iterator = requests[Symbol.asyncIterator]();
        if (context.metadata.get("read").length === 0) {
          return { message: "unread" };
        }
        const first = await iterator.next();
        await iterator.return?.();
        const after = await iterator.next();
        return { message: `${first.done === true ? "" : first.value.message} ${String(after.done)}` };
      },
    });
    try {
      const requests = [{ message: "a" }, { message: "b" }];
      expect((await echo.client.collect(fromArray(requests))).message).toBe("unread");
      expect((await echo.client.collect(fromArray(requests), { metadata: { read: "1" } })).message).toBe("a true");
    } finally {
      echo.close();
    }
  });
});
