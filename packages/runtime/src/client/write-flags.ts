/**
 * Per-message write options for the requests of client-streaming and
 * bidirectional calls.
 *
 * grpc-js compresses every message of a call when the channel has a
 * compression algorithm (channel option `grpc.default_compression_algorithm`),
 * and lets a single write opt out with a write flag. The request iterables of
 * Stubwright's streaming calls carry plain messages, so the flag travels in a
 * side table keyed by the message object instead of in a wrapper type.
 */

/** gRPC's "do not compress this message" write flag (`GRPC_WRITE_NO_COMPRESS`), as grpc-js reads it. */
const noCompressFlag = 2;

const flagsByMessage = new WeakMap<object, number>();

/**
 * Marks one request of a client-streaming or bidi call to be sent without
 * compression, even though the channel compresses the call's other messages.
 * Returns the same object, so it can be yielded directly:
 * `yield uncompressed({ payload })`. Has no effect on a channel that does not
 * compress, nor on unary and server-streaming requests (use a client without
 * compression for those).
 */
export function uncompressed<T extends object>(message: T): T {
  flagsByMessage.set(message, (flagsByMessage.get(message) ?? 0) | noCompressFlag);
  return message;
}

/** The grpc-js write flags recorded for a request, or `undefined` for none. */
export function writeFlagsOf(message: unknown): number | undefined {
  return typeof message === "object" && message !== null ? flagsByMessage.get(message) : undefined;
}
