import { Code, type CallOptions, type Metadata } from "@stubwright/runtime";
import { uncompressed } from "@stubwright/runtime/channel";
import type { TestServiceClient, UnimplementedServiceClient } from "../gen/src/proto/grpc/testing/test_grpc.js";
import { PayloadType, type SimpleResponse, type StreamingOutputCallResponse } from "../gen/src/proto/grpc/testing/messages_pb.js";
import { isZeroBody, zeroPayload } from "../payload.js";
import { check, collect, expectStatus } from "./interop-failure.js";
import { createRequestQueue, requestsOf } from "./request-queue.js";

/** The clients one case may use; every call also gets `options` (its deadline). */
export interface CaseContext {
  /** TestService on an uncompressed channel. */
  readonly test: TestServiceClient;
  /** TestService on a channel that gzips requests. */
  readonly compressed: TestServiceClient;
  /** UnimplementedService, which servers do not serve. */
  readonly unimplemented: UnimplementedServiceClient;
  /** Options for every call (a timeout that bounds it). */
  readonly options: CallOptions;
}

/** One interop test case, as grpc/grpc's doc/interop-test-descriptions.md describes it. */
export type InteropCase = (context: CaseContext) => Promise<void>;

const echoInitial = { key: "x-grpc-test-echo-initial", value: "test_initial_metadata_value" } as const;
const echoTrailing = { key: "x-grpc-test-echo-trailing-bin", value: Buffer.from([0xab, 0xab, 0xab]) } as const;
const specialMessage = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";

/** Every client case of the interop contract (INTEROP.md), by its standard name. */
export const interopCases = {
  async empty_unary({ test, options }) {
    const response = await test.emptyCall({}, options);
    check(typeof response === "object" && response !== null, "EmptyCall returned no message");
  },

  async large_unary({ test, options }) {
    checkSimpleResponse(await test.unaryCall(largeRequest(), options), "UnaryCall");
  },

  async client_compressed_unary({ test, compressed, options }) {
    await expectStatus(
      test.unaryCall(largeRequest({ expectCompressed: { value: true } }), options),
      Code.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    checkSimpleResponse(await compressed.unaryCall(largeRequest({ expectCompressed: { value: true } }), options), "compressed UnaryCall");
    checkSimpleResponse(await test.unaryCall(largeRequest({ expectCompressed: { value: false } }), options), "uncompressed UnaryCall");
  },

  async server_compressed_unary({ test, options }) {
    // grpc-js does not show a client the compressed flag of a response, so
    // this checks what the spec requires besides it ("if supported").
    for (const value of [true, false]) {
      checkSimpleResponse(await test.unaryCall(largeRequest({ responseCompressed: { value } }), options), `UnaryCall with response_compressed=${value}`);
    }
  },

  async client_streaming({ test, options }) {
    const sizes = [27182, 8, 1828, 45904];
    const response = await test.streamingInputCall(requestsOf(sizes.map((size) => ({ payload: zeroPayload(size) }))), options);
    check(response.aggregatedPayloadSize === 74922, `aggregated_payload_size ${response.aggregatedPayloadSize}, expected 74922`);
  },

  async client_compressed_streaming({ test, compressed, options }) {
    await expectStatus(
      test.streamingInputCall(requestsOf([{ expectCompressed: { value: true }, payload: zeroPayload(27182) }]), options),
      Code.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    const response = await compressed.streamingInputCall(
      requestsOf([
        { expectCompressed: { value: true }, payload: zeroPayload(27182) },
        uncompressed({ expectCompressed: { value: false }, payload: zeroPayload(45904) }),
      ]),
      options,
    );
    check(response.aggregatedPayloadSize === 73086, `aggregated_payload_size ${response.aggregatedPayloadSize}, expected 73086`);
  },

  async server_streaming({ test, options }) {
    const sizes = [31415, 9, 2653, 58979];
    const request = { responseType: PayloadType.COMPRESSABLE, responseParameters: sizes.map((size) => ({ size })) };
    checkStreamSizes(await collect(test.streamingOutputCall(request, options)), sizes);
  },

  async server_compressed_streaming({ test, options }) {
    // As in server_compressed_unary, the compressed flags are not visible here.
    const request = {
      responseParameters: [
        { compressed: { value: true }, size: 31415 },
        { compressed: { value: false }, size: 92653 },
      ],
    };
    checkStreamSizes(await collect(test.streamingOutputCall(request, options)), [31415, 92653]);
  },

  async ping_pong({ test, options }) {
    const requestSizes = [27182, 8, 1828, 45904];
    const responseSizes = [31415, 9, 2653, 58979];
    const queue = createRequestQueue<ReturnType<typeof pingRequest>>();
    const received: StreamingOutputCallResponse[] = [];
    queue.push(pingRequest({ request: requestSizes[0] ?? 0, response: responseSizes[0] ?? 0 }));
    try {
      for await (const response of test.fullDuplexCall(queue, options)) {
        received.push(response);
        const next = received.length;
        if (next < requestSizes.length) {
          queue.push(pingRequest({ request: requestSizes[next] ?? 0, response: responseSizes[next] ?? 0 }));
        } else {
          queue.close();
        }
      }
    } finally {
      queue.close();
    }
    checkStreamSizes(received, responseSizes);
  },

  async empty_stream({ test, options }) {
    const responses = await collect(test.fullDuplexCall(requestsOf([]), options));
    check(responses.length === 0, `${responses.length} responses, expected none`);
  },

  async cancel_after_begin({ test, options }) {
    const controller = new AbortController();
    const requests = createRequestQueue<never>();
    const call = test.streamingInputCall(requests, { ...options, signal: controller.signal });
    controller.abort();
    try {
      await expectStatus(call, Code.CANCELLED, "StreamingInputCall cancelled after begin");
    } finally {
      requests.close();
    }
  },

  async cancel_after_first_response({ test, options }) {
    const controller = new AbortController();
    const queue = createRequestQueue<ReturnType<typeof pingRequest>>();
    queue.push(pingRequest({ request: 27182, response: 31415 }));
    let responses = 0;
    const call = (async () => {
      for await (const _ of test.fullDuplexCall(queue, { ...options, signal: controller.signal })) {
        responses++;
        controller.abort();
      }
    })();
    try {
      await expectStatus(call, Code.CANCELLED, "FullDuplexCall cancelled after the first response");
    } finally {
      queue.close();
    }
    check(responses === 1, `${responses} responses before the cancellation, expected 1`);
  },

  async timeout_on_sleeping_server({ test }) {
    const queue = createRequestQueue<{ payload: ReturnType<typeof zeroPayload> }>();
    queue.push({ payload: zeroPayload(27182) });
    try {
      await expectStatus(collect(test.fullDuplexCall(queue, { timeoutMs: 1 })), Code.DEADLINE_EXCEEDED, "FullDuplexCall with a 1 ms timeout");
    } finally {
      queue.close();
    }
  },

  async custom_metadata({ test, options }) {
    const metadata = { [echoInitial.key]: echoInitial.value, [echoTrailing.key]: echoTrailing.value };
    const seen = { headers: undefined as Metadata | undefined, trailers: undefined as Metadata | undefined };
    const capture: CallOptions = {
      ...options,
      metadata,
      onHeader: (headers) => (seen.headers = headers),
      onTrailer: (trailers) => (seen.trailers = trailers),
    };
    checkSimpleResponse(await test.unaryCall(largeRequest(), capture), "UnaryCall");
    checkEchoedMetadata(seen.headers, seen.trailers, "UnaryCall");
    seen.headers = seen.trailers = undefined;
    const request = { responseParameters: [{ size: 314159 }], payload: zeroPayload(271828) };
    checkStreamSizes(await collect(test.fullDuplexCall(requestsOf([request]), capture)), [314159]);
    checkEchoedMetadata(seen.headers, seen.trailers, "FullDuplexCall");
  },

  async status_code_and_message({ test, options }) {
    const responseStatus = { code: 2, message: "test status message" };
    const unary = await expectStatus(test.unaryCall({ responseStatus }, options), Code.UNKNOWN, "UnaryCall");
    checkMessage(unary.rawMessage, responseStatus.message, "UnaryCall");
    const duplex = await expectStatus(collect(test.fullDuplexCall(requestsOf([{ responseStatus }]), options)), Code.UNKNOWN, "FullDuplexCall");
    checkMessage(duplex.rawMessage, responseStatus.message, "FullDuplexCall");
  },

  async special_status_message({ test, options }) {
    const error = await expectStatus(test.unaryCall({ responseStatus: { code: 2, message: specialMessage } }, options), Code.UNKNOWN, "UnaryCall");
    checkMessage(error.rawMessage, specialMessage, "UnaryCall");
  },

  async unimplemented_method({ test, options }) {
    await expectStatus(test.unimplementedCall({}, options), Code.UNIMPLEMENTED, "TestService/UnimplementedCall");
  },

  async unimplemented_service({ unimplemented, options }) {
    await expectStatus(unimplemented.unimplementedCall({}, options), Code.UNIMPLEMENTED, "UnimplementedService/UnimplementedCall");
  },
} satisfies Record<string, InteropCase>;

/** The name of a client case. */
export type InteropCaseName = keyof typeof interopCases;

/** The standard case names, in the contract's order. */
export const interopCaseNames = Object.keys(interopCases) as InteropCaseName[];

/** True for a name of a known case. */
export function isInteropCaseName(name: string): name is InteropCaseName {
  return Object.hasOwn(interopCases, name);
}

function largeRequest(extra: { expectCompressed?: { value: boolean }; responseCompressed?: { value: boolean } } = {}) {
  return { responseType: PayloadType.COMPRESSABLE, responseSize: 314159, payload: zeroPayload(271828), ...extra };
}

function pingRequest(sizes: { request: number; response: number }) {
  return {
    responseType: PayloadType.COMPRESSABLE,
    responseParameters: [{ size: sizes.response }],
    payload: zeroPayload(sizes.request),
  };
}

function checkSimpleResponse(response: SimpleResponse, what: string): void {
  check(response.payload?.type === PayloadType.COMPRESSABLE, `${what}: response payload type is not COMPRESSABLE`);
  check(isZeroBody(response.payload.body, 314159), `${what}: response body is ${response.payload.body.length} bytes, expected 314159 zeros`);
}

function checkStreamSizes(responses: readonly StreamingOutputCallResponse[], sizes: readonly number[]): void {
  const got = responses.map((response) => response.payload?.body.length ?? -1);
  check(got.length === sizes.length && got.every((size, i) => size === sizes[i]), `response sizes [${got.join(", ")}], expected [${sizes.join(", ")}]`);
  check(
    responses.every((response, i) => isZeroBody(response.payload?.body, sizes[i] ?? -1)),
    "a response body is not all zeros",
  );
}

function checkEchoedMetadata(headers: Metadata | undefined, trailers: Metadata | undefined, what: string): void {
  const initial = headers?.get(echoInitial.key) ?? [];
  check(initial.length === 1 && initial[0] === echoInitial.value, `${what}: initial metadata ${echoInitial.key} is ${JSON.stringify(initial)}`);
  const trailing = trailers?.get(echoTrailing.key) ?? [];
  const value = trailing[0];
  check(
    trailing.length === 1 && Buffer.isBuffer(value) && value.equals(echoTrailing.value),
    `${what}: trailing metadata ${echoTrailing.key} is ${trailing.map((v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)).join(",") || "missing"}`,
  );
}

function checkMessage(actual: string, expected: string, what: string): void {
  check(actual === expected, `${what}: status message ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}
