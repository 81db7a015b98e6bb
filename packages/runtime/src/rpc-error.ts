import { create, type DescMessage, type Message, type MessageShape, type Registry } from "@bufbuild/protobuf";
import { anyPack, anyUnpack, type Any } from "@bufbuild/protobuf/wkt";
import { Code, codeName, isCode } from "./code.js";
import { StatusSchema, type Status } from "./gen/google/rpc/status_pb.js";
import { createMetadata, type Metadata, type MetadataInit } from "./metadata.js";
import { anyTypeName, lookupDetailSchema } from "./status/status-details.js";

/** Brand that makes `instanceof RpcError` work across duplicate installs. */
const brand = Symbol.for("@stubwright/runtime/RpcError");

/**
 * Marks an RpcError built from a status a peer sent (see status/status.ts), so a
 * server that rethrows it does not forward the peer's trailers. A registered
 * symbol, so the mark survives duplicate installs too.
 */
const received = Symbol.for("@stubwright/runtime/RpcError.received");

/** Marks `error` as received from a peer; returns it. */
export function markReceived(error: RpcError): RpcError {
  Object.defineProperty(error, received, { value: true });
  return error;
}

/** True for an RpcError built from a status a peer sent. */
export function isReceived(error: RpcError): boolean {
  return received in error;
}

/** Options for {@link RpcError}'s constructor. */
export interface RpcErrorOptions {
  /** Trailing metadata sent with the status (server) or received with it (client). */
  readonly metadata?: MetadataInit | undefined;
  /** Response headers received before the failure (client side only). */
  readonly headers?: Metadata | undefined;
  /** The underlying error, kept for logs; never sent to a peer. */
  readonly cause?: unknown;
  /**
   * Error details, sent in a google.rpc.Status in the `grpc-status-details-bin`
   * trailer: any protobuf-es messages. The standard ones of
   * google/rpc/error_details.proto (from `@stubwright/runtime/error-details`)
   * work as they are; a message of another type needs its schema in
   * {@link detailsRegistry}, or can be passed packed (`anyPack(schema, message)`
   * from `@bufbuild/protobuf/wkt`). A `google.protobuf.Any` is sent as it is.
   */
  readonly details?: readonly Message[] | undefined;
  /**
   * Schemas of detail types beyond the standard error details: used to pack
   * {@link details} and to decode received `Any` details into messages.
   */
  readonly detailsRegistry?: Registry | undefined;
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
  /**
   * The error details, decoded: a message for every detail whose type is a
   * standard error detail or in `detailsRegistry`, the `google.protobuf.Any`
   * itself for any other. {@link findDetails} decodes by schema.
   */
  readonly details: readonly Message[];
  /** The details as sent on the wire, one Any each; parallel to {@link details}. */
  readonly #packed: readonly Any[];

  constructor(code: Code, message = "", options: RpcErrorOptions = {}) {
    const safeCode = isCode(code) && code !== Code.OK ? code : Code.UNKNOWN;
    super(formatMessage(safeCode, message), { cause: options.cause });
    this.name = "RpcError";
    this.code = safeCode;
    this.rawMessage = message;
    this.metadata = createMetadata(options.metadata);
    this.headers = options.headers ?? createMetadata();
    const details = (options.details ?? []).map((detail) => toDetail(detail, options.detailsRegistry));
    this.details = details.map((detail) => detail.message);
    this.#packed = details.map((detail) => detail.any);
    Object.defineProperty(this, brand, { value: true });
  }

  /**
   * The details of type `schema`, decoded with that schema (so a detail
   * received as an unknown `Any` is found too), or every detail whose type
   * `registry` knows.
   */
  findDetails<S extends DescMessage>(schema: S): MessageShape<S>[];
  findDetails(registry: Registry): Message[];
  findDetails(schemaOrRegistry: DescMessage | Registry): Message[] {
    const found: Message[] = [];
    for (const any of this.#packed) {
      const message = unpack(any, schemaOrRegistry);
      if (message !== undefined) {
        found.push(message);
      }
    }
    return found;
  }

  /**
   * The google.rpc.Status of this error: its code, its message as sent on the
   * wire, and its details packed as `Any`.
   */
  toStatus(): Status {
    return create(StatusSchema, { code: this.code, message: this.rawMessage, details: [...this.#packed] });
  }

  /**
   * True for any RpcError, including one created by another copy of this
   * package (which a plain `instanceof` check would miss).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about; a subclass keeps the plain check.
    if (this !== RpcError) {
      // biome-ignore lint/complexity/noThisInStatic: as above, the subclass itself.
      return Function.prototype[Symbol.hasInstance].call(this, value);
    }
    return typeof value === "object" && value !== null && brand in value;
  }
}

function isRegistry(value: DescMessage | Registry): value is Registry {
  return value.kind === "registry";
}

/** Pairs a detail with its wire form, decoding an Any whose type is known. */
function toDetail(detail: Message, registry: Registry | undefined): { message: Message; any: Any } {
  if (isAny(detail)) {
    const schema = lookupDetailSchema(anyTypeName(detail), registry);
    return { message: (schema && unpack(detail, schema)) ?? detail, any: detail };
  }
  const schema = lookupDetailSchema(detail.$typeName, registry);
  if (schema === undefined) {
    throw new TypeError(`RpcError detail ${detail.$typeName} has no known schema: add it to detailsRegistry, or pass anyPack(schema, message)`);
  }
  return { message: detail, any: anyPack(schema, detail) };
}

/**
 * Decodes an Any of the given type, or `undefined` for another type or bytes
 * that do not parse: a malformed detail from a peer must not turn one failure
 * into another.
 */
function unpack(any: Any, schemaOrRegistry: DescMessage | Registry): Message | undefined {
  try {
    return isRegistry(schemaOrRegistry) ? anyUnpack(any, schemaOrRegistry) : anyUnpack(any, schemaOrRegistry);
  } catch {
    return undefined;
  }
}

function isAny(message: Message): message is Any {
  return message.$typeName === "google.protobuf.Any";
}

function formatMessage(code: Code, message: string): string {
  const name = codeName(code).toLowerCase();
  return message === "" ? `[${name}]` : `[${name}] ${message}`;
}
