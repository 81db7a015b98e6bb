import { Code, RpcError, type ServerOptions } from "@stubwright/runtime";
import { currentCall } from "@stubwright/runtime/deadline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aborted, deferred, drain, failOnUnhandledRejections, rejection, startEchoServer, type Deferred, type EchoServer } from "../support/echo-server.js";

failOnUnhandledRejections();

// A (the test) → B → C over 127.0.0.1, with B created with and without
// `propagate: false`. C reports the deadline it received in its answer.
describe.each([
  { label: "default", options: {}, propagates: true },
  { label: "propagate: false", options: { propagate: false }, propagates: false },
] satisfies { label: string; options: ServerOptions; propagates: boolean }[])("a server with $label", ({ options, propagates }) => {
  let leaf: EchoServer;
  let middle: EchoServer;
  /** Resolves when B waits for its signal to abort. */
  let waiting: Deferred<void>;
  /** What B's signal aborted with, once it did. */
  let sawAbort: Deferred<unknown>;
  beforeAll(async () => {
    const received = (deadline: Date | undefined): string => (deadline === undefined ? "no deadline" : "deadline");
    leaf = await startEchoServer({
      echo: (_request, context) => ({ message: received(context.deadline) }),
      async *expand(_request, context) {
        yield { message: received(context.deadline) };
      },
    });
    middle = await startEchoServer(
      {
        async echo(request, context) {
          if (request.message === "wait") {
            const abort = aborted(context.signal);
            waiting.resolve();
            const reason = await abort;
            sawAbort.resolve(reason);
            throw reason;
          }
          const inside = currentCall() === undefined ? "none" : "current";
          const answer = await leaf.client.echo({ message: "from B" });
          return { message: `${inside}/${answer.message}/${context.deadline === undefined ? "no deadline" : "deadline"}` };
        },
        async *expand(_request, _context) {
          await Promise.resolve();
          yield { message: currentCall() === undefined ? "none" : "current" };
          yield* leaf.client.expand({ message: "from B" });
        },
      },
      options,
    );
  });
  afterAll(() => {
    middle.close();
    leaf.close();
  });

  it(propagates ? "passes its deadline on to outbound calls" : "passes no deadline on, but still sees its own", async () => {
    const answer = await middle.client.echo({ message: "go" }, { timeoutMs: 30_000 });
    expect(answer.message).toBe(propagates ? "current/deadline/deadline" : "none/no deadline/deadline");
  });

  it("streaming handlers run within the call only when it propagates", async () => {
    const { items, error } = await drain(middle.client.expand({ message: "go" }, { timeoutMs: 30_000 }));
    expect(error).toBeUndefined();
    expect(items.map((item) => item.message)).toEqual(propagates ? ["current", "deadline"] : ["none", "no deadline"]);
  });

  it("the handler's signal still aborts when the client cancels", async () => {
    waiting = deferred();
    sawAbort = deferred();
    const controller = new AbortController();
    const call = rejection(middle.client.echo({ message: "wait" }, { signal: controller.signal }));
    await waiting.promise;
    controller.abort();
    expect(((await call) as RpcError).code).toBe(Code.CANCELLED);
    const reason = await sawAbort.promise;
    expect(reason).toBeInstanceOf(RpcError);
    expect((reason as RpcError).code).toBe(Code.CANCELLED);
  });
});
