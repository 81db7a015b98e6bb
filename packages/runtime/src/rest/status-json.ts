import { toJson, type JsonValue, type Registry } from "@bufbuild/protobuf";
import { AnySchema } from "@bufbuild/protobuf/wkt";
import type { Metadata } from "../metadata.js";
import { decodeStatusDetails } from "../status/status-details.js";

/**
 * The JSON form of google.rpc.Status for a failed call: `code`, `message`
 * and `details`, each detail an Any with its `@type`, taken from the status
 * details trailer the dispatcher wrote. `registry` must know the detail
 * types (the standard error details and the server's own); details it does
 * not know are left out rather than failing the error response.
 */
export function statusJson(code: number, message: string, trailers: Metadata | undefined, registry: Registry): JsonValue {
  const details = decodeStatusDetails(trailers)?.details ?? [];
  const known = details.filter((detail) => registry.getMessage(detail.typeUrl.slice(detail.typeUrl.lastIndexOf("/") + 1)) !== undefined);
  // Written field by field: code, message and details are always there, as clients expect, while the details keep the JSON mapping's defaults.
  return { code, message, details: known.map((detail) => toJson(AnySchema, detail, { registry })) };
}
