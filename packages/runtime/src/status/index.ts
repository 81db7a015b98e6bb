/**
 * `@stubwright/runtime/status`: status codes by name, HTTP mappings, retry
 * hints, the `grpc-status-details-bin` trailer, and conversion of grpc-js
 * statuses into RpcErrors (for code that calls grpc-js directly).
 */
export { codeName, codeFromName, isCode } from "../code.js";
export { codeToHttpStatus, codeFromHttpStatus } from "./http-status.js";
export { isRetryable, retryDelayMs } from "./retry-hints.js";
export { rpcErrorFromServiceError, rpcErrorFromStatus, isServiceError } from "./status.js";
export { statusDetailsKey, standardDetailsRegistry, encodeStatusDetails, decodeStatusDetails } from "./status-details.js";
