import { Code } from "../code.js";

/**
 * The HTTP status a gateway answers for each code, as documented on
 * google.rpc.Code (and used by grpc-gateway and Google APIs).
 */
const httpStatusByCode: Readonly<Record<Code, number>> = {
  [Code.OK]: 200,
  [Code.CANCELLED]: 499,
  [Code.UNKNOWN]: 500,
  [Code.INVALID_ARGUMENT]: 400,
  [Code.DEADLINE_EXCEEDED]: 504,
  [Code.NOT_FOUND]: 404,
  [Code.ALREADY_EXISTS]: 409,
  [Code.PERMISSION_DENIED]: 403,
  [Code.RESOURCE_EXHAUSTED]: 429,
  [Code.FAILED_PRECONDITION]: 400,
  [Code.ABORTED]: 409,
  [Code.OUT_OF_RANGE]: 400,
  [Code.UNIMPLEMENTED]: 501,
  [Code.INTERNAL]: 500,
  [Code.UNAVAILABLE]: 503,
  [Code.DATA_LOSS]: 500,
  [Code.UNAUTHENTICATED]: 401,
};

/**
 * The HTTP status for a code, for gateways and logs: e.g. NOT_FOUND → 404,
 * UNAVAILABLE → 503 (the "HTTP Mapping" of google/rpc/code.proto). A number
 * outside the 17 codes maps like UNKNOWN, to 500.
 */
export function codeToHttpStatus(code: number): number {
  return httpStatusByCode[code as Code] ?? 500;
}

/**
 * The code a client assumes for an HTTP response that has no `grpc-status`,
 * e.g. an error page from a proxy, per gRPC's "HTTP to gRPC Status Code
 * Mapping": 400 → INTERNAL, 401 → UNAUTHENTICATED, 403 → PERMISSION_DENIED,
 * 404 → UNIMPLEMENTED, 429/502/503/504 → UNAVAILABLE, anything else UNKNOWN.
 *
 * Not the inverse of {@link codeToHttpStatus}: the two mappings answer
 * different questions and are neither symmetric nor one-to-one.
 */
export function codeFromHttpStatus(httpStatus: number): Code {
  switch (httpStatus) {
    case 400:
      return Code.INTERNAL;
    case 401:
      return Code.UNAUTHENTICATED;
    case 403:
      return Code.PERMISSION_DENIED;
    case 404:
      return Code.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.UNAVAILABLE;
    default:
      return Code.UNKNOWN;
  }
}
