import { base64Encode } from "@bufbuild/protobuf/wire";
import { Code } from "../../code.js";
import type { Transport } from "../transport.js";
import { canGunzip, isGzip } from "../fetch/gunzip.js";
import { encodeEnvelope } from "../../protocol-envelope/envelope.js";
import type { FetchProtocol, RequestSpec, ResponseHead } from "../fetch/fetch-call.js";
import { createFetchTransport, methodUrl, type FetchTransportOptions } from "../fetch/fetch-transport.js";
import { appendMetadata, metadataFromEntries } from "../fetch/http-headers.js";
import { httpErrorStatus } from "../fetch/http-error-status.js";
import { connectEndStatus, connectErrorStatus } from "./connect-status.js";

/** Options of {@link createConnectTransport}. */
export interface ConnectTransportOptions extends FetchTransportOptions {
  /** Send messages in protobuf binary (`application/proto`) rather than JSON (`application/json`, the default). */
  readonly useBinaryFormat?: boolean | undefined;
  /**
   * Send unary calls of methods marked `option idempotency_level =
   * NO_SIDE_EFFECTS` as HTTP GET, with the request in the query string, so
   * browsers and CDNs may cache them (default false).
   */
  readonly useHttpGet?: boolean | undefined;
}

/** The flag of the end-stream message of a Connect stream. */
const endStreamFlag = 0x02;

/** Connect's version header, which tells a Connect server a request is Connect (and not some other POST). */
const protocolVersion = "1";

/**
 * Creates a transport that calls a Connect server over `fetch`, in browsers
 * and in Node: `createFooServiceClient(createConnectTransport({ baseUrl }))`.
 * Unary and server-streaming calls are supported, in JSON (default) or
 * binary; the deadline is sent as `connect-timeout-ms` and enforced here too;
 * cancelling a call aborts its fetch. Client and bidi streaming calls fail
 * with UNIMPLEMENTED, since fetch cannot stream request bodies in every
 * browser, unless `streamRequests` sends them half duplex.
 */
export function createConnectTransport(options: ConnectTransportOptions): Transport {
  const binary = options.useBinaryFormat === true;
  const subtype = binary ? "proto" : "json";
  const protocol: FetchProtocol = {
    name: "Connect",
    endFlag: endStreamFlag,
    createRequest(spec, streaming) {
      const headers = new Headers();
      appendMetadata(headers, spec.metadata);
      if (spec.timeoutMs !== undefined && spec.timeoutMs < 1e10) {
        headers.set("connect-timeout-ms", String(spec.timeoutMs));
      }
      const url = methodUrl(options.baseUrl, spec.method);
      if (!streaming && options.useHttpGet === true && spec.method.idempotency === "no_side_effects") {
        return { url: `${url}?${getQuery(spec, binary)}`, init: { method: "GET", headers } };
      }
      headers.set("connect-protocol-version", protocolVersion);
      headers.set("content-type", streaming ? `application/connect+${subtype}` : `application/${subtype}`);
      if (streaming && canGunzip()) {
        headers.set("connect-accept-encoding", "gzip");
      }
      return { url, init: { method: "POST", headers, body: spec.body ?? (streaming ? encodeEnvelope(0, spec.payload) : spec.payload) } };
    },
    readHead: (response, streaming) => readConnectHead(response, streaming, subtype),
    readEnd: (payload) => connectEndStatus(JSON.parse(new TextDecoder().decode(payload))),
  };
  return createFetchTransport(protocol, options, binary);
}

/** The query string of a Connect GET request: the message in base64url (binary) or as JSON text. */
function getQuery(spec: RequestSpec, binary: boolean): string {
  const message = binary ? `base64=1&message=${base64Encode(spec.payload, "url")}` : `message=${encodeURIComponent(new TextDecoder().decode(spec.payload))}`;
  return `connect=v${protocolVersion}&encoding=${binary ? "proto" : "json"}&${message}`;
}

/**
 * Reads the start of a Connect response. A unary response is complete: its
 * body is the message (HTTP 200) or a Connect error (JSON), and its trailers
 * are the `trailer-` headers. A stream's body is enveloped messages ending
 * with the end-stream message.
 */
async function readConnectHead(response: Response, streaming: boolean, subtype: string): Promise<ResponseHead> {
  const headers = metadataFromEntries(response.headers);
  const trailers = metadataFromEntries(response.headers, "trailer-");
  const contentType = response.headers.get("content-type") ?? "";
  if (response.status !== 200) {
    if (/^application\/json\b/i.test(contentType)) {
      const error = await readJson(response);
      if (error !== undefined) {
        return { kind: "complete", headers, status: connectErrorStatus(error, trailers, response.status) };
      }
    }
    return { kind: "complete", headers, status: httpErrorStatus(response.status, trailers) };
  }
  const expected = streaming ? `application/connect+${subtype}` : `application/${subtype}`;
  if (contentType.split(";")[0]?.trim().toLowerCase() !== expected) {
    return {
      kind: "complete",
      headers,
      status: { code: Code.UNKNOWN, details: `Connect response has content type "${contentType}", expected ${expected}`, metadata: trailers },
    };
  }
  if (streaming) {
    if (response.body === null) {
      return { kind: "complete", headers, status: { code: Code.INTERNAL, details: "Connect response has no body", metadata: trailers } };
    }
    return { kind: "envelopes", headers, body: response.body, gzip: isGzip(response.headers.get("connect-content-encoding")) };
  }
  const payload = new Uint8Array(await response.arrayBuffer());
  return { kind: "complete", headers, status: { code: Code.OK, details: "", metadata: trailers }, payload };
}

/** The JSON object of a body, or `undefined` when it is not one. */
async function readJson(response: Response): Promise<object | undefined> {
  try {
    const json: unknown = JSON.parse(await response.text());
    return typeof json === "object" && json !== null ? json : undefined;
  } catch {
    return undefined;
  }
}
