import { Metadata } from "@grpc/grpc-js";
import { Code, codeName, isCode } from "./code.js";
import { createMetadata, type MetadataInit } from "./metadata.js";

/** Brand that makes `instanceof RpcError` work across duplicate installs. */
const brand = Symbol.for("@stubwright/runtime/RpcError");

/** Options for {@link RpcError}'s constructor. */
export interface RpcErrorOptions {
  /** Trailing metadata sent with the status (server) or received with it (client). */
  readonly metadata?: MetadataInit | undefined;
  /** Response headers received before the failure (client side only). */
  readonly headers?: Metadata | undefined;
  /** The underlying error, kept for logs; never sent to a peer. */
  readonly cause?: unknown;
}

/**
 * The one error type of Stubwright: a gRPC status that is not OK.
 *
 * Servers throw it to choose the status a client sees; clients receive every
 * failure as one, whether the server sent it, the deadline ran out, the call
 * was cancelled or the transport broke.
 */
export class RpcError extends Error {
  /** The status code; never `Code.OK`. */
  readonly code: Code;
  /** The status message exactly as sent on the wire (`grpc-message`). */
  readonly rawMessage: string;
  /** Trailing metadata of the status. */
  readonly metadata: Metadata;
  /** Response headers, when the failure happened after they arrived. */
  readonly headers: Metadata;

  constructor(code: Code, message = "", options: RpcErrorOptions = {}) {
    const safeCode = isCode(code) && code !== Code.OK ? code : Code.UNKNOWN;
    super(formatMessage(safeCode, message), { cause: options.cause });
    this.name = "RpcError";
    this.code = safeCode;
    this.rawMessage = message;
    this.metadata = createMetadata(options.metadata);
    this.headers = options.headers ?? new Metadata();
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * True for any RpcError, including one created by another copy of this
   * package (which a plain `instanceof` check would miss).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== RpcError) {
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    return typeof value === "object" && value !== null && brand in value;
  }
}

function formatMessage(code: Code, message: string): string {
  const name = codeName(code).toLowerCase();
  return message === "" ? `[${name}]` : `[${name}] ${message}`;
}
