import { InterceptingCall, type ChannelOptions, type Interceptor } from "@grpc/grpc-js";

/** Request compression a client can use; grpc-js decompresses all three in responses. */
export type Compression = "gzip" | "deflate" | "identity";

/** grpc-js's numeric keys for `grpc.default_compression_algorithm`. */
const algorithmKeys: Record<Compression, number> = { identity: 0, deflate: 1, gzip: 2 };

/** grpc-js's write flag that sends one message uncompressed. */
const noCompressFlag = 2;

/**
 * The grpc-js channel options that compress every request message of a
 * channel (`ClientOptions.compression` applies them for you). grpc-js
 * servers decompress such requests but never compress responses.
 */
export function compressionOptions(compression: Compression): ChannelOptions {
  if (!(compression in algorithmKeys)) {
    throw new RangeError(`unknown compression "${String(compression)}"; use gzip, deflate or identity`);
  }
  return { "grpc.default_compression_algorithm": algorithmKeys[compression] };
}

/** Merges `ClientOptions.compression` into the channel options it dials with. */
export function withCompression(channelOptions: ChannelOptions | undefined, compression: Compression | undefined): ChannelOptions {
  return compression === undefined ? { ...channelOptions } : { ...channelOptions, ...compressionOptions(compression) };
}

type MessageContext = Parameters<InterceptingCall["sendMessageWithContext"]>[0];

/** Sends every message of the call with grpc-js's "do not compress" write flag. */
class UncompressedCall extends InterceptingCall {
  override sendMessageWithContext(context: MessageContext, message: unknown): void {
    super.sendMessageWithContext({ ...context, flags: (context.flags ?? 0) | noCompressFlag }, message);
  }
}

/**
 * A grpc-js interceptor that sends every message of its call uncompressed:
 * how `compress: false` in the call options opts one call out of the
 * client's compression (grpc-js has no way to turn it on for one call).
 */
export const uncompressedCall: Interceptor = (options, nextCall) => new UncompressedCall(nextCall(options));
