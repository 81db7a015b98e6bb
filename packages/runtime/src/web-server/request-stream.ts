import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import { tooLarge } from "./compression.js";
import { compressedFlag, EnvelopeParser } from "../protocol-envelope/envelope.js";
import type { WebRequest } from "./http-exchange.js";
import { plainMessage } from "./request-message.js";
import { statusOf } from "./start-web-call.js";
import type { WebCall } from "./web-call.js";

/** Room for gzip's overhead on a message that does not compress. */
const compressionSlackBytes = 1024;

/** How the messages of a streamed request body are read. */
export interface RequestStreamOptions {
  /** Decodes one (decompressed) message. */
  readonly decode: (bytes: Uint8Array) => unknown;
  /** True when the request's encoding header named gzip: flagged messages are then gzip. */
  readonly compressed: boolean;
  /** The header that names the encoding, for errors. */
  readonly encodingHeader: string;
  /** The largest message, in bytes (after decompression). */
  readonly maxReceiveBytes: number;
}

/**
 * Feeds the enveloped messages of a request body (gRPC-Web frames, Connect
 * streaming envelopes) into a call's request stream as they arrive, in order,
 * reading on only as the handler drains the stream. The stream ends only
 * after the body really ended; a body the client abandoned never ends it (the
 * client going away cancels the call instead). A malformed or oversized
 * message ends the call with its status.
 */
export function feedRequestStream(request: WebRequest, call: WebCall, options: RequestStreamOptions): void {
  const frameLimitBytes = options.maxReceiveBytes + (options.compressed ? compressionSlackBytes : 0);
  const parser = new EnvelopeParser(frameLimitBytes);
  let receivedBytes = 0;
  let failed = false;
  call.onRequestDemand = () => request.resume();
  const fail = (error: unknown): void => {
    failed = true;
    call.failRequests(statusOf(error));
    // Read the rest away, so an HTTP/1.1 connection stays usable.
    request.resume();
  };
  request.on("data", (chunk: Buffer) => {
    receivedBytes += chunk.byteLength;
    if (failed || call.settled) {
      return;
    }
    parser.push(chunk);
    try {
      for (let envelope = nextEnvelope(parser, frameLimitBytes); envelope !== undefined; envelope = nextEnvelope(parser, frameLimitBytes)) {
        if (!call.push(options.decode(messageBytes(envelope, options)))) {
          request.pause();
        }
      }
    } catch (error) {
      fail(error);
    }
  });
  request.on("end", () => {
    if (failed || call.settled || !endedCleanly(request, receivedBytes)) {
      return;
    }
    if (parser.pendingBytes > 0) {
      fail(new RpcError(Code.INVALID_ARGUMENT, "the request body ends inside a message"));
      return;
    }
    call.push(null);
  });
}

/** The next complete envelope; one over the limit is RESOURCE_EXHAUSTED. */
function nextEnvelope(parser: EnvelopeParser, limitBytes: number): ReturnType<EnvelopeParser["next"]> {
  try {
    return parser.next();
  } catch {
    throw tooLarge("request", limitBytes);
  }
}

function messageBytes(envelope: { readonly flags: number; readonly payload: Uint8Array }, options: RequestStreamOptions): Uint8Array {
  const { flags, payload } = envelope;
  if ((flags & ~compressedFlag) !== 0) {
    throw new RpcError(Code.INVALID_ARGUMENT, `unexpected flags 0x${flags.toString(16)} on a request message`);
  }
  const compressed = (flags & compressedFlag) !== 0;
  if (compressed && !options.compressed) {
    throw new RpcError(Code.INTERNAL, `a compressed request message without a ${options.encodingHeader} header`);
  }
  return plainMessage(payload, compressed, options.maxReceiveBytes);
}

/**
 * True when the body ended because the client half-closed, not because the
 * request was cut off: Node's HTTP/2 compatibility API ends a reset request's
 * body as if complete, so a body short of its Content-Length, or an HTTP/2
 * stream already reset, was abandoned. (Node's own HTTP/2 client half-closes
 * before it resets; that end is real on the wire, and the reset that follows
 * cancels the call.)
 */
function endedCleanly(request: WebRequest, receivedBytes: number): boolean {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) !== receivedBytes) {
    return false;
  }
  const stream = (request as Http2ServerRequest).stream as Http2ServerRequest["stream"] | undefined;
  if (stream !== undefined) {
    return !stream.destroyed && (stream.rstCode ?? 0) === 0;
  }
  return (request as IncomingMessage).complete;
}
