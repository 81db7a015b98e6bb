import { Code } from "../../code.js";
import type { Metadata } from "../../metadata.js";
import type { MethodDefinition } from "../../method-definition.js";
import type { RequestSink, ResponseStream, SingleResponseCallback, Transport, TransportCall, TransportCallOptions } from "../transport.js";
import { FetchCall, type FetchProtocol } from "./fetch-call.js";
import { binaryFormat, createJsonFormat, type JsonOptions } from "./message-format.js";
import { canStreamRequests } from "./request-streams.js";

/** Options every fetch transport takes. */
export interface FetchTransportOptions {
  /**
   * The URL calls go to, up to the service path: `https://api.example.com`
   * sends `pkg.Service/Method` to `https://api.example.com/pkg.Service/Method`.
   */
  readonly baseUrl: string;
  /** The `fetch` to call (default: the global one, looked up per call). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Options of the JSON format: a registry for `google.protobuf.Any`, JSON writing switches. */
  readonly jsonOptions?: JsonOptions | undefined;
  /** The largest response message accepted, in bytes (default 4 MiB, as gRPC's); larger ones fail with RESOURCE_EXHAUSTED. */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Send client- and bidi-streaming calls with a streamed request body
   * (fetch's `duplex: "half"`), default false (they fail with UNIMPLEMENTED).
   * Node's fetch supports it; of the browsers, only Chromium-based ones, and
   * only over HTTP/2 (Chromium over HTTP/1.1 fails such calls with
   * UNAVAILABLE; a runtime whose fetch cannot stream, with UNIMPLEMENTED). Half
   * duplex: the server may answer while requests are still being sent, but
   * over HTTP/1.1 many servers wait for the last request.
   */
  readonly streamRequests?: boolean | undefined;
}

/** The default limit of a response message, as gRPC's: 4 MiB. */
const defaultMaxResponseBytes = 4 * 1024 * 1024;

/**
 * Creates a transport that carries unary and server-streaming calls over
 * `fetch` with `protocol`. Client and bidi streaming calls fail with
 * UNIMPLEMENTED, since fetch cannot stream a request body in every browser,
 * unless `options.streamRequests` sends them half-duplex.
 */
export function createFetchTransport(protocol: FetchProtocol, options: FetchTransportOptions, binary: boolean): Transport {
  const context = {
    protocol,
    format: binary ? binaryFormat : createJsonFormat(options.jsonOptions),
    fetch: options.fetch ?? globalFetch,
    maxResponseBytes: options.maxResponseBytes ?? defaultMaxResponseBytes,
  };
  let closed = false;
  const start = (
    method: MethodDefinition,
    request: unknown,
    metadata: Metadata,
    options: TransportCallOptions,
    callback: SingleResponseCallback | undefined,
  ): FetchCall => {
    const call = new FetchCall(context, method, callback);
    if (closed) {
      return call.fail(Code.UNAVAILABLE, `The ${protocol.name} transport is closed`);
    }
    return call.start(request, metadata, options.deadlineMs, options.resolvedAtMs);
  };
  const streamRequests = options.streamRequests === true;
  const startStreaming = (
    method: MethodDefinition,
    metadata: Metadata,
    options: TransportCallOptions,
    callback: SingleResponseCallback | undefined,
  ): FetchCall => {
    if (!streamRequests) {
      return refuse(method, callback);
    }
    const call = new FetchCall(context, method, callback);
    if (closed) {
      return call.fail(Code.UNAVAILABLE, `The ${protocol.name} transport is closed`);
    }
    if (!canStreamRequests()) {
      return call.fail(
        Code.UNIMPLEMENTED,
        `This runtime's fetch cannot stream request bodies, which ${method.kind.replace("_", " ")} calls (${method.path}) need`,
      );
    }
    return call.startStreaming(metadata, options.deadlineMs, options.resolvedAtMs);
  };
  const refuse = (method: MethodDefinition, callback: SingleResponseCallback | undefined): FetchCall =>
    new FetchCall(context, method, callback).fail(
      Code.UNIMPLEMENTED,
      `The ${protocol.name} transport over fetch does not support ${method.kind.replace("_", " ")} calls (${method.path}) unless created with streamRequests: true: fetch cannot stream request bodies in every browser`,
    );
  return {
    kind: "transport",
    target: options.baseUrl,
    unary(method, request, metadata, options, callback): TransportCall {
      return start(method, request, metadata, options, callback);
    },
    serverStreaming(method, request, metadata, options): ResponseStream {
      return start(method, request, metadata, options, undefined);
    },
    clientStreaming(method, metadata, options, callback): RequestSink {
      return startStreaming(method, metadata, options, callback);
    },
    bidiStreaming(method, metadata, options): RequestSink & ResponseStream {
      return startStreaming(method, metadata, options, undefined);
    },
    close(): void {
      closed = true;
    },
  };
}

/** The global fetch, looked up per call (so a polyfill installed later is used) and called on the global object, as browsers require. */
const globalFetch: typeof globalThis.fetch = (input, init) => globalThis.fetch(input, init);

/** The URL of `method` under `baseUrl`, whether or not `baseUrl` ends with a slash. */
export function methodUrl(baseUrl: string, method: MethodDefinition): string {
  return `${baseUrl.replace(/\/+$/, "")}${method.path}`;
}
