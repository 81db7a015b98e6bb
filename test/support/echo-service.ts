import { type Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import type { EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import type { EchoRequest } from "../golden/ts/fixture/echo/v1/echo_pb.js";

/**
 * The EchoService the end-to-end tests run against. Each request says how
 * to behave: fail with a code, throw a plain error, delay, fail mid-stream.
 */
export function createEchoService(): Omit<EchoServiceHandlers, "unimplemented"> {
  return {
    async echo(request, context) {
      await delay(request.delayMs, context);
      failIfAsked(request);
      return reply(request, context, 0);
    },
    async legacyEcho(request, context) {
      return reply(request, context, 0);
    },
    async *expand(request, context) {
      for (let index = 0; index < request.repeat; index++) {
        if (request.failAfter > 0 && index === request.failAfter) {
          failIfAsked(request);
        }
        await delay(request.delayMs, context);
        yield reply(request, context, index);
      }
      if (request.failAfter === 0) {
        failIfAsked(request);
      }
    },
    async collect(requests, context) {
      const messages: string[] = [];
      for await (const request of requests) {
        failIfAsked(request);
        messages.push(request.message);
      }
      return { message: messages.join(","), index: messages.length, seenMetadata: seen(context) };
    },
    async *chat(requests, context) {
      let index = 0;
      for await (const request of requests) {
        await delay(request.delayMs, context);
        failIfAsked(request);
        yield reply(request, context, index++);
      }
    },
  };
}

function reply(request: EchoRequest, context: ServerCallContext, index: number) {
  const remaining = context.timeRemainingMs();
  return {
    message: request.message,
    index,
    seenMetadata: seen(context),
    deadlineMs: remaining === Infinity ? -1n : BigInt(Math.round(remaining)),
  };
}

function seen(context: ServerCallContext): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(context.metadata.getMap())) {
    if (typeof value === "string" && key.startsWith("x-")) {
      result[key] = value;
    }
  }
  return result;
}

function failIfAsked(request: EchoRequest): void {
  if (request.throwPlain !== "") {
    throw new Error(request.throwPlain);
  }
  if (request.failCode !== 0) {
    throw new RpcError(request.failCode as Code, request.failMessage);
  }
}

function delay(ms: number, context: ServerCallContext): Promise<void> {
  if (ms === 0) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    context.signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      context.signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
