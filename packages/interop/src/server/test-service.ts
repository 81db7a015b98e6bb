import { setTimeout as sleep } from "node:timers/promises";
import { Code, RpcError, type ServerCallContext } from "@stubwright/runtime";
import type { TestServiceHandlers } from "../gen/src/proto/grpc/testing/test_grpc.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  PayloadType,
  type BoolValue,
  type EchoStatus,
  type ResponseParameters,
  type StreamingOutputCallResponseSchema,
} from "../gen/src/proto/grpc/testing/messages_pb.js";
import { zeroPayload } from "../payload.js";
import { wasCompressed } from "./request-compression.js";

/** The TestService handlers; UnimplementedCall is left out so the runtime answers UNIMPLEMENTED. */
export type InteropHandlers = Omit<TestServiceHandlers, "unimplementedCall">;

type StreamingResponse = MessageInitShape<typeof StreamingOutputCallResponseSchema>;

/** Metadata keys of the interop feature "Echo Metadata". */
export const echoInitialKey = "x-grpc-test-echo-initial";
export const echoTrailingKey = "x-grpc-test-echo-trailing-bin";

/**
 * Creates the handlers of `grpc.testing.TestService` with every server
 * feature of the interop spec: payload sizes, echo status, echo metadata,
 * CompressedRequest (`expect_compressed`) and `interval_us`.
 *
 * CompressedResponse (`response_compressed`, `ResponseParameters.compressed`)
 * is accepted but cannot be honoured: grpc-js's server (1.14) never compresses
 * a response message (see the README's "Interop" section).
 */
export function createTestService(): InteropHandlers {
  return {
    emptyCall(_request, context) {
      echoMetadata(context);
      return {};
    },

    unaryCall(request, context) {
      echoMetadata(context);
      checkCompression(request, request.expectCompressed);
      throwEchoStatus(request.responseStatus);
      checkResponseType(request.responseType);
      return { payload: zeroPayload(checkSize(request.responseSize)) };
    },

    cacheableUnaryCall(_request, context) {
      // Lets a caching proxy keep the answer; the body differs per call.
      context.header.set("cache-control", "max-age=60, public");
      echoMetadata(context);
      const nanos = BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
      return { payload: { type: PayloadType.COMPRESSABLE, body: new TextEncoder().encode(nanos.toString()) } };
    },

    async *streamingOutputCall(request, context) {
      echoMetadata(context);
      throwEchoStatus(request.responseStatus);
      checkResponseType(request.responseType);
      yield* respond(request.responseParameters, context.signal);
    },

    async streamingInputCall(requests, context) {
      echoMetadata(context);
      let aggregatedPayloadSize = 0;
      for await (const request of requests) {
        checkCompression(request, request.expectCompressed);
        aggregatedPayloadSize += request.payload?.body.length ?? 0;
      }
      return { aggregatedPayloadSize };
    },

    async *fullDuplexCall(requests, context) {
      echoMetadata(context);
      for await (const request of requests) {
        throwEchoStatus(request.responseStatus);
        checkResponseType(request.responseType);
        yield* respond(request.responseParameters, context.signal);
      }
    },

    async *halfDuplexCall(requests, context) {
      echoMetadata(context);
      const buffered = [];
      for await (const request of requests) {
        buffered.push(request);
      }
      for (const request of buffered) {
        throwEchoStatus(request.responseStatus);
        checkResponseType(request.responseType);
        yield* respond(request.responseParameters, context.signal);
      }
    },
  };
}

/**
 * Echo Metadata: the initial value goes back at once as a response header (so
 * it arrives even when the call then fails), the trailing one with the status.
 */
function echoMetadata(context: ServerCallContext): void {
  for (const value of context.metadata.get(echoInitialKey)) {
    context.header.add(echoInitialKey, value);
  }
  for (const value of context.metadata.get(echoTrailingKey)) {
    context.trailer.add(echoTrailingKey, value);
  }
  if (context.header.get(echoInitialKey).length > 0) {
    context.sendHeader();
  }
}

/** Echo Status: a request carrying a non-OK `response_status` ends the call with it. */
function throwEchoStatus(status: EchoStatus | undefined): void {
  if (status !== undefined && status.code !== Code.OK) {
    throw new RpcError(status.code, status.message);
  }
}

/** CompressedRequest: the request's compressed flag must match `expect_compressed`. */
function checkCompression(request: object, expected: BoolValue | undefined): void {
  const compressed = wasCompressed(request);
  if (expected === undefined || compressed === undefined || compressed === expected.value) {
    return;
  }
  throw new RpcError(
    Code.INVALID_ARGUMENT,
    expected.value ? "expected a compressed request message, got an uncompressed one" : "expected an uncompressed request message, got a compressed one",
  );
}

function checkResponseType(type: PayloadType): void {
  if (type !== PayloadType.COMPRESSABLE) {
    throw new RpcError(Code.INVALID_ARGUMENT, `unsupported response_type ${type}`);
  }
}

function checkSize(size: number): number {
  if (size < 0) {
    throw new RpcError(Code.INVALID_ARGUMENT, `negative response size ${size}`);
  }
  return size;
}

/** One response per ResponseParameters, each after its `interval_us`. */
async function* respond(parameters: readonly ResponseParameters[], signal: AbortSignal): AsyncGenerator<StreamingResponse> {
  for (const parameter of parameters) {
    if (parameter.intervalUs > 0) {
      await sleep(parameter.intervalUs / 1000, undefined, { signal });
    }
    yield { payload: zeroPayload(checkSize(parameter.size)) };
  }
}
