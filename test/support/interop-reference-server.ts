import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from "@grpc/grpc-js";
import { arrivedCompressed, echoInitialKey, echoTrailingKey } from "@stubwright/interop";
import { setTimeout as sleep } from "node:timers/promises";
import { LoadedTestService, type LoadedStreamingInputRequest, type LoadedStreamingOutputRequest, type LoadedSimpleRequest } from "./interop-proto.js";

/**
 * A reference interop server written against plain grpc-js and
 * @grpc/proto-loader only, independent of Stubwright's generator and runtime.
 * It serves what the client cases need: payloads, echo status and metadata,
 * interval_us, and CompressedRequest (with the same compressed-flag inference
 * as Stubwright's server, since grpc-js hides the flag from both).
 */
export async function startReferenceServer(): Promise<{ port: number; close(): void }> {
  const server = new Server();
  server.addService(trackCompression(LoadedTestService.service), createImplementation());
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  return { port, close: () => server.forceShutdown() };
}

const compressedRequests = new WeakMap<object, boolean>();

function trackCompression(service: ServiceDefinition): ServiceDefinition {
  const tracked: Record<string, ServiceDefinition[string]> = {};
  for (const [name, method] of Object.entries(service)) {
    tracked[name] = {
      ...method,
      requestDeserialize: (bytes: Buffer) => {
        const message = method.requestDeserialize(bytes) as object;
        compressedRequests.set(message, arrivedCompressed(bytes));
        return message;
      },
    };
  }
  return tracked;
}

type Status = { code: number; details: string; metadata: Metadata };

function createImplementation(): UntypedServiceImplementation {
  return {
    EmptyCall(call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) {
      const trailer = echo(call);
      callback(null, {}, trailer);
    },
    UnaryCall(call: ServerUnaryCall<LoadedSimpleRequest, object>, callback: sendUnaryData<object>) {
      const trailer = echo(call);
      const request = call.request;
      const failure =
        compressionMismatch(request, request.expect_compressed) ??
        echoStatus(request.response_status) ??
        (request.response_type === "COMPRESSABLE" ? undefined : { code: status.INVALID_ARGUMENT, details: "unsupported response_type" });
      if (failure !== undefined) {
        callback({ ...failure, metadata: trailer } as Status);
        return;
      }
      callback(null, { payload: { type: "COMPRESSABLE", body: Buffer.alloc(request.response_size) } }, trailer);
    },
    StreamingInputCall(call: ServerReadableStream<LoadedStreamingInputRequest, object>, callback: sendUnaryData<object>) {
      const trailer = echo(call);
      let total = 0;
      let failed = false;
      call.on("data", (request: LoadedStreamingInputRequest) => {
        const failure = compressionMismatch(request, request.expect_compressed);
        if (failure !== undefined && !failed) {
          failed = true;
          callback({ ...failure, metadata: trailer } as Status);
        }
        total += request.payload?.body.length ?? 0;
      });
      call.on("end", () => {
        if (!failed) {
          callback(null, { aggregated_payload_size: total }, trailer);
        }
      });
    },
    StreamingOutputCall(call: ServerWritableStream<LoadedStreamingOutputRequest, object>) {
      const trailer = echo(call);
      void writeResponses(call, call.request, trailer).then((ok) => ok && call.end(trailer));
    },
    FullDuplexCall(call: ServerDuplexStream<LoadedStreamingOutputRequest, object>) {
      const trailer = echo(call);
      // One chain per call: each request is answered as it arrives, in order.
      let chain = Promise.resolve(true);
      call.on("data", (request: LoadedStreamingOutputRequest) => {
        chain = chain.then((ok) => ok && writeResponses(call, request, trailer));
      });
      call.on("end", () => void chain.then((ok) => ok && call.end(trailer)));
    },
  };
}

/** Writes one request's responses; false when the call ended with a status instead. */
async function writeResponses(
  call: ServerWritableStream<LoadedStreamingOutputRequest, object> | ServerDuplexStream<LoadedStreamingOutputRequest, object>,
  request: LoadedStreamingOutputRequest,
  trailer: Metadata,
): Promise<boolean> {
  const failure = echoStatus(request.response_status);
  if (failure !== undefined) {
    call.emit("error", { ...failure, metadata: trailer });
    return false;
  }
  for (const parameter of request.response_parameters) {
    if (parameter.interval_us > 0) {
      await sleep(parameter.interval_us / 1000);
    }
    if (call.cancelled) {
      return false;
    }
    call.write({ payload: { type: "COMPRESSABLE", body: Buffer.alloc(parameter.size) } });
  }
  return true;
}

function echo(
  call:
    | ServerUnaryCall<unknown, unknown>
    | ServerReadableStream<unknown, unknown>
    | ServerWritableStream<unknown, unknown>
    | ServerDuplexStream<unknown, unknown>,
): Metadata {
  const initial = call.metadata.get(echoInitialKey);
  if (initial.length > 0) {
    const header = new Metadata();
    for (const value of initial) header.add(echoInitialKey, value);
    call.sendMetadata(header);
  }
  const trailer = new Metadata();
  for (const value of call.metadata.get(echoTrailingKey)) trailer.add(echoTrailingKey, value);
  return trailer;
}

function echoStatus(responseStatus: { code: number; message: string } | null): { code: number; details: string } | undefined {
  return responseStatus !== null && responseStatus.code !== 0 ? { code: responseStatus.code, details: responseStatus.message } : undefined;
}

function compressionMismatch(request: object, expected: { value: boolean } | null): { code: number; details: string } | undefined {
  const compressed = compressedRequests.get(request);
  if (expected === null || compressed === undefined || compressed === expected.value) {
    return undefined;
  }
  return { code: status.INVALID_ARGUMENT, details: `expected ${expected.value ? "a compressed" : "an uncompressed"} request` };
}
