import type { CallOptions, ServerCallContext } from "@stubwright/runtime";
import type { EchoServiceClient, EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoResponse } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { drain, fromArray } from "./echo-server.js";

/** The four call kinds, named after the EchoService method that has each. */
export const kinds = ["unary", "server_streaming", "client_streaming", "bidi_streaming"] as const;
/** One of {@link kinds}. */
export type Kind = (typeof kinds)[number];

/** The EchoService method path of each kind. */
export const pathOf: Record<Kind, string> = {
  unary: "/fixture.echo.v1.EchoService/Echo",
  server_streaming: "/fixture.echo.v1.EchoService/Expand",
  client_streaming: "/fixture.echo.v1.EchoService/Collect",
  bidi_streaming: "/fixture.echo.v1.EchoService/Chat",
};

/** What one call produced: its responses, or the error it ended with. */
export interface CallOutcome {
  readonly responses: EchoResponse[];
  readonly error: unknown;
}

/** Makes one call of `kind` with a single request carrying `message`, and drains it. */
export async function callKind(client: EchoServiceClient, kind: Kind, options: CallOptions = {}, message = "m"): Promise<CallOutcome> {
  switch (kind) {
    case "unary":
      return client.echo({ message }, options).then(
        (response) => ({ responses: [response], error: undefined }),
        (error: unknown) => ({ responses: [], error }),
      );
    case "server_streaming": {
      const { items, error } = await drain(client.expand({ message, repeat: 1 }, options));
      return { responses: items, error };
    }
    case "client_streaming":
      return client.collect(fromArray([{ message }]), options).then(
        (response) => ({ responses: [response], error: undefined }),
        (error: unknown) => ({ responses: [], error }),
      );
    case "bidi_streaming": {
      const { items, error } = await drain(client.chat(fromArray([{ message }]), options));
      return { responses: items, error };
    }
  }
}

/**
 * Handlers of every kind that all run `body(context)` and answer with its
 * result as the message (one response for the streaming kinds). The request
 * streams are read to their end first.
 */
export function uniformHandlers(
  body: (context: ServerCallContext, message: string) => Promise<string>,
): Pick<EchoServiceHandlers, "echo" | "expand" | "collect" | "chat"> {
  return {
    async echo(request, context) {
      return { message: await body(context, request.message) };
    },
    async *expand(request, context) {
      yield { message: await body(context, request.message) };
    },
    async collect(requests, context) {
      let message = "";
      for await (const request of requests) {
        message = request.message;
      }
      return { message: await body(context, message) };
    },
    async *chat(requests, context) {
      for await (const request of requests) {
        yield { message: await body(context, request.message) };
      }
    },
  };
}
