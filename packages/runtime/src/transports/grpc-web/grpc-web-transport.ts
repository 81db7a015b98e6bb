import { Code } from "../../code.js";
import type { Transport } from "../transport.js";
import { canGunzip, isGzip } from "../fetch/gunzip.js";
import { encodeEnvelope } from "../../protocol-envelope/envelope.js";
import type { FetchProtocol, ResponseHead } from "../fetch/fetch-call.js";
import { createFetchTransport, methodUrl, type FetchTransportOptions } from "../fetch/fetch-transport.js";
import { httpErrorStatus } from "../fetch/http-error-status.js";
import { appendMetadata, metadataFromEntries } from "../fetch/http-headers.js";
import { grpcStatus, grpcTimeout } from "./grpc-status.js";

/** Options of {@link createGrpcWebTransport}. */
export interface GrpcWebTransportOptions extends FetchTransportOptions {
  /** Send messages in protobuf binary (`application/grpc-web+proto`, the default); false sends JSON (`+json`), which fewer servers accept. */
  readonly useBinaryFormat?: boolean | undefined;
  /**
   * Ask for gzip-compressed messages (`grpc-accept-encoding: gzip`), read with
   * `DecompressionStream`. Off by default: across origins the server's CORS
   * policy must allow that request header, and common ones do not.
   */
  readonly acceptGzip?: boolean | undefined;
}

/** The flag of the envelope that carries the trailers at the end of a gRPC-Web response. */
const trailerFlag = 0x80;

/**
 * Creates a transport that calls a gRPC-Web server (Envoy, a gRPC-Web
 * proxy, connect-node) over `fetch`, in browsers and in Node:
 * `createFooServiceClient(createGrpcWebTransport({ baseUrl }))`. Unary and
 * server-streaming calls are supported; the deadline is sent as
 * `grpc-timeout` and enforced here too; cancelling a call aborts its fetch.
 * Client and bidi streaming calls fail with UNIMPLEMENTED, since fetch
 * cannot stream request bodies in every browser, unless `streamRequests`
 * sends them half duplex.
 */
export function createGrpcWebTransport(options: GrpcWebTransportOptions): Transport {
  const binary = options.useBinaryFormat !== false;
  const contentType = `application/grpc-web+${binary ? "proto" : "json"}`;
  const protocol: FetchProtocol = {
    name: "gRPC-Web",
    endFlag: trailerFlag,
    createRequest(spec) {
      const headers = new Headers();
      appendMetadata(headers, spec.metadata);
      headers.set("content-type", contentType);
      headers.set("x-grpc-web", "1");
      if (options.acceptGzip === true && canGunzip()) {
        headers.set("grpc-accept-encoding", "gzip");
      }
      const timeout = spec.timeoutMs === undefined ? undefined : grpcTimeout(spec.timeoutMs);
      if (timeout !== undefined) {
        headers.set("grpc-timeout", timeout);
      }
      return { url: methodUrl(options.baseUrl, spec.method), init: { method: "POST", headers, body: spec.body ?? encodeEnvelope(0, spec.payload) } };
    },
    readHead: (response) => Promise.resolve(readGrpcWebHead(response)),
    readEnd(payload) {
      const entries = parseTrailers(new TextDecoder().decode(payload));
      const lookup = new Map(entries);
      return grpcStatus((name) => lookup.get(name), metadataFromEntries(entries));
    },
  };
  return createFetchTransport(protocol, options, binary);
}

/**
 * Reads the start of a gRPC-Web response: trailers-only (the status in the
 * headers, no body), an HTTP error without a gRPC status, or a body of
 * messages ending with the trailers.
 */
function readGrpcWebHead(response: Response): ResponseHead {
  const headers = metadataFromEntries(response.headers);
  if (response.headers.has("grpc-status")) {
    return { kind: "complete", headers: undefined, status: grpcStatus((name) => response.headers.get(name), headers) };
  }
  if (response.status !== 200) {
    return { kind: "complete", headers, status: httpErrorStatus(response.status) };
  }
  const received = response.headers.get("content-type") ?? "";
  if (!/^application\/grpc-web(\+(proto|json))?\s*(;|$)/i.test(received)) {
    return { kind: "complete", headers, status: { code: Code.UNKNOWN, details: `gRPC-Web response has content type "${received}"`, metadata: headers } };
  }
  if (response.body === null) {
    return { kind: "complete", headers, status: { code: Code.INTERNAL, details: "gRPC-Web response has no body", metadata: headers } };
  }
  return { kind: "envelopes", headers, body: response.body, gzip: isGzip(response.headers.get("grpc-encoding")) };
}

/** The lines of a gRPC-Web trailers message (`name: value` lines, CRLF-separated) as lower-case name and value pairs. */
function parseTrailers(text: string): [string, string][] {
  const entries: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      entries.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  return entries;
}
