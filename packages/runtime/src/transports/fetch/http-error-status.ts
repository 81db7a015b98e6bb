import { createMetadata, type Metadata } from "../../metadata.js";
import { codeFromHttpStatus } from "../../status/http-status.js";
import type { CallStatus } from "../transport.js";

/**
 * The status of a response that has none of the protocol's own (an error
 * page from a proxy, a server that is not a gRPC-Web or Connect one): the code
 * its HTTP status maps to, as gRPC and Connect both define it.
 */
export function httpErrorStatus(httpStatus: number, trailers: Metadata = createMetadata()): CallStatus {
  return { code: codeFromHttpStatus(httpStatus), details: `HTTP ${httpStatus}`, metadata: trailers };
}
