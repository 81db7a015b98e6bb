import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code, RpcError, closeClient } from "@stubwright/runtime";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEchoServiceClient, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequestSchema, EchoResponse } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import type { Kind } from "../support/call-kinds.js";
import { deferred, drain } from "../support/echo-server.js";
import { startScript } from "../support/script-process.js";

const serverScript = resolve(dirname(fileURLToPath(import.meta.url)), "../support/shutdown-server.mjs");

/** What a client saw of one call cut by the shutdown. */
interface Seen {
  readonly kind: Kind;
  readonly responses: number;
  readonly code: Code | undefined;
  readonly message: string | undefined;
  readonly signalReason: string[];
}

/** A request stream that sends one message, then stays open (no half-close) until `until` settles. */
async function* openRequests(until: Promise<void>): AsyncGenerator<MessageInitShape<typeof EchoRequestSchema>> {
  yield { message: "first" };
  await until;
}

function seen(kind: Kind, responses: readonly EchoResponse[], error: unknown): Seen {
  const rpcError = error instanceof RpcError ? error : undefined;
  return {
    kind,
    responses: responses.length,
    code: rpcError?.code,
    message: rpcError?.rawMessage,
    signalReason: (rpcError?.metadata.get("x-signal-reason") ?? []).map(String),
  };
}

/** Starts one call of each kind, each left open on both sides. */
function callAllKinds(client: EchoServiceClient, open: Promise<void>): Promise<Seen>[] {
  const single = (kind: Kind, call: Promise<EchoResponse>): Promise<Seen> =>
    call.then(
      (response) => seen(kind, [response], undefined),
      (error: unknown) => seen(kind, [], error),
    );
  const stream = async (kind: Kind, responses: AsyncIterable<EchoResponse>): Promise<Seen> => {
    const { items, error } = await drain(responses);
    return seen(kind, items, error);
  };
  return [
    single("unary", client.echo({ message: "unary" })),
    stream("server_streaming", client.expand({ message: "server" })),
    single("client_streaming", client.collect(openRequests(open))),
    stream("bidi_streaming", client.chat(openRequests(open))),
  ];
}

describe("calls in flight when the server stops, client and server in separate processes", () => {
  it.each(["grace", "force"])(
    "%s: every call kind ends UNAVAILABLE, after the handler's signal fired with UNAVAILABLE",
    async (mode) => {
      const server = startScript(serverScript, [mode]);
      const open = deferred();
      let client: EchoServiceClient | undefined;
      try {
        const [, port] = await server.line(/^listening (\d+)$/);
        client = createEchoServiceClient(`127.0.0.1:${port}`, { retry: false });
        const calls = callAllKinds(client, open.promise);
        await server.line(/^in-flight$/);
        server.send("shutdown");
        const outcomes = await Promise.all(calls);
        const expected = (kind: Kind, responses: number): Seen => ({
          kind,
          responses,
          code: Code.UNAVAILABLE,
          message: "Server shutting down",
          signalReason: [String(Code.UNAVAILABLE)],
        });
        expect(outcomes).toEqual([expected("unary", 0), expected("server_streaming", 1), expected("client_streaming", 0), expected("bidi_streaming", 1)]);
        await server.line(/^stopped$/);
        expect(await server.exited).toMatchObject({ code: 0, signal: null });
      } finally {
        open.resolve();
        if (client !== undefined) closeClient(client);
        server.kill();
      }
    },
    60_000,
  );
});
