import type { DescMessage } from "@bufbuild/protobuf";

/** The four kinds of RPC, named as in protobuf-es. */
export type MethodKind = "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";

/**
 * A method's `idempotency_level` option: `no_side_effects` and `idempotent`
 * methods are safe to retry, so clients retry them by default.
 */
export type Idempotency = "unknown" | "no_side_effects" | "idempotent";

/**
 * What the runtime tells about a method wherever it names one: the server
 * context (`context.method`), interceptors (`call.method`), the server's
 * `onError` hook (`info.method`), `currentCall().method` and the logging
 * interceptor's entries. The object is the method's definition, seen through
 * this type, so it is the same object on every one of those paths of a call.
 */
export interface MethodInfo<I extends DescMessage = DescMessage, O extends DescMessage = DescMessage, K extends MethodKind = MethodKind> {
  /** The HTTP/2 path, e.g. `/pkg.Service/Method`. */
  readonly path: string;
  /** The fully qualified service name, e.g. `pkg.Service`. */
  readonly serviceName: string;
  /**
   * The method's name as declared in the .proto file, e.g. `Method`. (Not
   * `name`: grpc-js copies a definition's fields onto the functions of its
   * generic clients, whose `name` cannot be assigned.)
   */
  readonly methodName: string;
  readonly kind: K;
  /** The method's declared idempotency level. */
  readonly idempotency: Idempotency;
  readonly requestStream: K extends "client_streaming" | "bidi_streaming" ? true : false;
  readonly responseStream: K extends "server_streaming" | "bidi_streaming" ? true : false;
  readonly requestSchema: I;
  readonly responseSchema: O;
}
