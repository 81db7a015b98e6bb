import { create } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import { codeName } from "@stubwright/runtime/status";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import type { EchoServiceHandlers } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";

/** The four call kinds, named after the EchoService method that has each. */
export const callKinds = ["echo", "expand", "collect", "chat"] as const;
/** A call kind of the matrix. */
export type CallKind = (typeof callKinds)[number];

/** Messages exchanged before a "mid-stream" failure. */
export const messagesBeforeFailure = 2;

/**
 * The status message for a case: names the case, and has characters that
 * grpc-js must percent-encode on the wire (non-ASCII, "%", spaces).
 */
export function matrixMessage(code: Code, kind: CallKind, sent: number): string {
  return `${codeName(code)} from ${kind} after ${sent} — ünïcødé ✓ 100%`;
}

/**
 * The error the matrix service throws for a case: code and message, a trailer
 * of its own, a standard detail (ErrorInfo) and a user message detail (an
 * EchoResponse, packed, since it is not a standard detail).
 */
function matrixError(code: Code, kind: CallKind, sent: number): RpcError {
  return new RpcError(code, matrixMessage(code, kind, sent), {
    metadata: { "x-error-kind": kind, "x-error-bin": Buffer.from([0, 1, 2, code]) },
    details: [
      create(ErrorInfoSchema, { reason: codeName(code), domain: "matrix.stubwright.test", metadata: { kind, sent: String(sent) } }),
      anyPack(EchoResponseSchema, create(EchoResponseSchema, { message: `detail of ${kind}`, index: code })),
    ],
  });
}

/** Request metadata that selects a case: the code to end with, and after how many messages. */
export function caseMetadata(code: Code, sent: number): Record<string, string> {
  return { "x-fail-code": String(code), "x-fail-after": String(sent) };
}

/**
 * EchoService handlers that end each call with the code in `x-fail-code`
 * after `x-fail-after` messages (read by client streaming, written by server
 * streaming, both for bidi): thrown as an RpcError, or for OK, by completing
 * normally at that point. The case comes in metadata so a handler can fail
 * before it reads any request. Every call also sets a trailer of the
 * handler's own (`x-handler-trailer`), which must arrive on success and
 * failure alike. Unary calls have no stream; for them, "mid-stream" means the
 * response headers were sent first (so the status travels in real trailers
 * rather than a Trailers-Only response).
 */
export function createStatusMatrixService(): Pick<EchoServiceHandlers, CallKind> {
  return {
    async echo(_request, context) {
      const { code, after } = begin(context, "echo");
      if (after > 0) {
        context.sendHeader({ "x-early": "yes" });
      }
      end(code, "echo", after);
      return { message: "ok" };
    },
    async *expand(_request, context) {
      const { code, after } = begin(context, "expand");
      for (let index = 0; index < after; index++) {
        yield { message: "expand", index };
      }
      end(code, "expand", after);
    },
    async collect(requests, context) {
      const { code, after } = begin(context, "collect");
      const iterator = requests[Symbol.asyncIterator]();
      try {
        for (let index = 0; index < after; index++) {
          const next = await iterator.next();
          if (next.done === true) {
            throw new RpcError(Code.INVALID_ARGUMENT, `expected ${after} requests, got ${index}`);
          }
        }
      } finally {
        await iterator.return?.();
      }
      end(code, "collect", after);
      return { message: "ok", index: after };
    },
    async *chat(requests, context) {
      const { code, after } = begin(context, "chat");
      if (after > 0) {
        let index = 0;
        for await (const request of requests) {
          yield { message: request.message, index };
          if (++index === after) {
            break;
          }
        }
      }
      end(code, "chat", after);
    },
  };
}

function begin(context: ServerCallContext, kind: CallKind): { code: Code; after: number } {
  const code = Number(context.metadata.get("x-fail-code")[0]) as Code;
  const after = Number(context.metadata.get("x-fail-after")[0]);
  context.trailer.set("x-handler-trailer", `${kind}:${code}`);
  return { code, after };
}

/** Throws the case's error; for OK, returns so the handler completes. */
function end(code: Code, kind: CallKind, sent: number): void {
  if (code !== Code.OK) {
    throw matrixError(code, kind, sent);
  }
}
