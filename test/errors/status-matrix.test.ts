import { closeClient, Code, createServer, RpcError, type CallOptions, type Metadata } from "@stubwright/runtime";
import { codeName, decodeStatusDetails, statusDetailsKey } from "@stubwright/runtime/status";
import { ErrorInfoSchema } from "@stubwright/runtime/error-details";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEchoServiceClient, EchoServiceDefinition, type EchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { EchoResponseSchema } from "../golden/ts/fixture/echo/v1/echo_pb.js";
import { transportCases } from "../support/transports.js";
import { callKinds, caseMetadata, createStatusMatrixService, matrixMessage, messagesBeforeFailure, type CallKind } from "../support/status-matrix-service.js";

// All 17 codes x 4 call kinds x {before the first message, mid-stream}, end
// to end over 127.0.0.1 and over the in-memory transport: one server per
// transport, every call made in parallel up front, then one test per case
// asserting what the client saw.

const codes = Object.values(Code).filter((value): value is Code => typeof value === "number");
const phases = [
  { name: "before the first message", after: 0 },
  { name: "mid-stream", after: messagesBeforeFailure },
] as const;

/** What the client saw for one case. */
interface Outcome {
  readonly error: unknown;
  readonly received: number;
  readonly trailers: Metadata | undefined;
}

const outcomes = new Map<string, Outcome>();
const caseKey = (transport: string, kind: CallKind, code: Code, after: number): string => `${transport}/${kind}/${code}/${after}`;

async function run(client: EchoServiceClient, kind: CallKind, code: Code, after: number): Promise<Outcome> {
  let trailers: Metadata | undefined;
  let received = 0;
  const options: CallOptions = { metadata: caseMetadata(code, after), onTrailer: (t) => (trailers = t) };
  try {
    switch (kind) {
      case "echo":
        await client.echo({}, options);
        break;
      case "expand":
        for await (const _ of client.expand({}, options)) received++;
        break;
      case "collect":
        await client.collect(requests(after + 1), options);
        break;
      case "chat":
        for await (const _ of client.chat(requests(after + 1), options)) received++;
        break;
    }
    return { error: undefined, received, trailers };
  } catch (error) {
    return { error, received, trailers };
  }
}

async function* requests(count: number): AsyncGenerator<{ message: string }> {
  for (let index = 0; index < count; index++) {
    yield { message: `request ${index}` };
  }
}

describe.each(transportCases)("over $name", (transport) => {
  const server = createServer({ onError: () => {} }).add(EchoServiceDefinition, createStatusMatrixService());
  let client: EchoServiceClient;

  beforeAll(async () => {
    client = await transport.makeClient(server, createEchoServiceClient);
    const runs = callKinds.flatMap((kind) =>
      codes.flatMap((code) => phases.map(async ({ after }) => outcomes.set(caseKey(transport.name, kind, code, after), await run(client, kind, code, after)))),
    );
    await Promise.all(runs);
  });

  afterAll(() => {
    closeClient(client);
    server.forceShutdown();
  });

  describe.each(callKinds)("%s", (kind) => {
    const streamsResponses = kind === "expand" || kind === "chat";
    describe.each(phases)("$name", ({ after }) => {
      it.each(codes.map((code) => [codeName(code), code] as const))("%s", (_name, code) => {
        const outcome = outcomes.get(caseKey(transport.name, kind, code, after));
        expect(outcome).toBeDefined();
        const { error, received, trailers } = outcome!;
        expect(received).toBe(streamsResponses ? after : 0);
        // The handler's own trailer arrives with every status, OK or not.
        expect(trailers?.get("x-handler-trailer")).toEqual([`${kind}:${code}`]);
        if (code === Code.OK) {
          expect(error).toBeUndefined();
          expect(trailers?.get(statusDetailsKey)).toEqual([]);
          return;
        }
        expect(error).toBeInstanceOf(RpcError);
        const rpcError = error as RpcError;
        expect(rpcError.code).toBe(code);
        expect(rpcError.rawMessage).toBe(matrixMessage(code, kind, after));
        expect(rpcError.message).toBe(`[${codeName(code).toLowerCase()}] ${matrixMessage(code, kind, after)}`);
        // Trailers: the handler's, the error's own (text and binary), the details.
        expect(rpcError.metadata.get("x-handler-trailer")).toEqual([`${kind}:${code}`]);
        expect(rpcError.metadata.get("x-error-kind")).toEqual([kind]);
        expect(rpcError.metadata.get("x-error-bin")).toEqual([Buffer.from([0, 1, 2, code])]);
        const status = decodeStatusDetails(rpcError.metadata);
        expect(status?.code).toBe(code);
        expect(status?.message).toBe(matrixMessage(code, kind, after));
        // Details: the standard ErrorInfo arrives decoded; the user message stays
        // an Any in `details` (the client has no registry for it) and is found by schema.
        expect(rpcError.details).toHaveLength(2);
        const [info, other] = rpcError.details;
        expect(info?.$typeName).toBe("google.rpc.ErrorInfo");
        expect(rpcError.findDetails(ErrorInfoSchema)).toEqual([info]);
        expect(rpcError.findDetails(ErrorInfoSchema)[0]).toMatchObject({
          reason: codeName(code),
          domain: "matrix.stubwright.test",
          metadata: { kind, sent: String(after) },
        });
        expect(other?.$typeName).toBe("google.protobuf.Any");
        const [custom] = rpcError.findDetails(EchoResponseSchema);
        expect(custom?.message).toBe(`detail of ${kind}`);
        expect(custom?.index).toBe(code);
        // Response headers sent before the failure are on the error.
        if (kind === "echo" && after > 0) {
          expect(rpcError.headers.get("x-early")).toEqual(["yes"]);
        }
      });
    });
  });
});
