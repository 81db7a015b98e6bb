import { Code, type MethodDefinition } from "@stubwright/runtime";
import { codeName, isCode } from "@stubwright/runtime/status";
import { statusName } from "./figures.js";

/** The largest response the fuzzer lets a request ask the interop server for. */
export const interopResponseLimitBytes = 1 << 20;

/**
 * The request messages as the server decodes them (with the method's own
 * deserializer, the runtime's codec); `undefined` for one it cannot decode.
 */
export function decodeRequests(method: MethodDefinition, messages: readonly Uint8Array[]): (object | undefined)[] {
  return messages.map((bytes) => {
    try {
      return method.requestDeserialize(Buffer.from(bytes)) as object;
    } catch {
      return undefined;
    }
  });
}

/**
 * Whether the decoded requests ask the interop server for responses over
 * {@link interopResponseLimitBytes} in all: it builds them whatever their size
 * (a 2 GiB `response_size` blocks its event loop for about a minute and takes
 * gigabytes), so the fuzzer does not send such requests.
 */
export function asksInteropForTooMuch(decoded: readonly (object | undefined)[]): boolean {
  let total = 0;
  for (const message of decoded) {
    const request = message as { responseSize?: number; responseParameters?: { size: number }[] } | undefined;
    total += Math.max(0, request?.responseSize ?? 0);
    for (const parameters of request?.responseParameters ?? []) total += Math.max(0, parameters.size);
  }
  return total > interopResponseLimitBytes;
}

/**
 * The statuses a server may answer fuzzed requests with. Undecodable bytes:
 * INTERNAL (grpc-js's answer to a request it cannot deserialize). Decodable
 * ones: what the handler can answer for some request (below), never
 * INTERNAL or UNKNOWN, which would mean the server failed on a valid
 * request. DEADLINE_EXCEEDED always: each call has a short deadline, and
 * some requests ask for slow answers (`interval_us`).
 *
 * - demo: GetItem OK or NOT_FOUND; the streaming methods OK.
 * - interop: OK; INVALID_ARGUMENT for a negative size, a response type other
 *   than COMPRESSABLE or a compression expectation not met; the code of any
 *   `response_status` in the requests (UNKNOWN for one outside the 17 codes);
 *   UnimplementedCall UNIMPLEMENTED.
 */
export function acceptedStatuses(service: "demo" | "interop", method: MethodDefinition, decoded: readonly (object | undefined)[]): string[] {
  const accepted = new Set<string>(["DEADLINE_EXCEEDED"]);
  if (decoded.includes(undefined)) accepted.add("INTERNAL");
  const valid = decoded.filter((message) => message !== undefined);
  if (service === "demo") {
    accepted.add("OK");
    if (method.originalName === "GetItem") accepted.add("NOT_FOUND");
    return [...accepted];
  }
  if (method.originalName === "UnimplementedCall") return [...accepted, "UNIMPLEMENTED"];
  accepted.add("OK");
  if (method.originalName !== "EmptyCall" && method.originalName !== "CacheableUnaryCall") accepted.add("INVALID_ARGUMENT");
  for (const message of valid) {
    const code = (message as { responseStatus?: { code: number } }).responseStatus?.code ?? 0;
    if (code !== 0) accepted.add(isCode(code) ? statusName(code) : codeName(Code.UNKNOWN));
  }
  return [...accepted];
}

/**
 * grpc-js 1.14.7 can leave a bidi call without a status for good when a
 * request cannot be decoded after one the handler answers: it starts the
 * INTERNAL status (ending the HTTP/2 stream, trailers to follow), the
 * handler's answer to the earlier request is then written after that end,
 * and the trailers never go out; the server's deadline does not end the call
 * either. Whether it happens depends on timing, so a fuzzed call that hangs
 * this way is reported as that bug, apart from other hangs.
 */
export function isGrpcJsBidiHang(method: MethodDefinition, decoded: readonly (object | undefined)[]): boolean {
  return method.requestStream && method.responseStream && decoded.indexOf(undefined) >= 1;
}
