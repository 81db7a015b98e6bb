import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/** The bytes before each message of an enveloped stream: one flags byte and a 32-bit big-endian length. */
const prefixBytes = 5;

/** The flag of an envelope whose payload is compressed (gRPC-Web and Connect streams alike). */
export const compressedFlag = 0x01;

/** One message of an enveloped stream: its flags and its payload. */
export interface Envelope {
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** Wraps `payload` in an envelope with `flags` (the framing of gRPC-Web and of Connect streams). */
export function encodeEnvelope(flags: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(prefixBytes + payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, flags);
  view.setUint32(1, payload.byteLength);
  bytes.set(payload, prefixBytes);
  return bytes;
}

/**
 * Splits a whole body into its envelopes (a request the server read whole);
 * a truncated one fails with INVALID_ARGUMENT.
 */
export function parseEnvelopes(body: Uint8Array): Envelope[] {
  const parser = new EnvelopeParser(Number.POSITIVE_INFINITY);
  parser.push(body);
  const envelopes: Envelope[] = [];
  for (let envelope = parser.next(); envelope !== undefined; envelope = parser.next()) {
    envelopes.push(envelope);
  }
  if (parser.pendingBytes > 0) {
    throw new RpcError(Code.INVALID_ARGUMENT, "the request body ends inside a message");
  }
  return envelopes;
}

/**
 * Splits the chunks of a body into envelopes, however the chunks
 * cut them: `push` a chunk, then take the complete envelopes with `next`.
 * An envelope longer than `maxBytes` is refused before it is buffered.
 */
export class EnvelopeParser {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  constructor(private readonly maxBytes: number) {}

  /** The bytes received and not yet returned as an envelope. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Adds a chunk of the body. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.byteLength;
    }
  }

  /** The next complete envelope, or `undefined` until more bytes arrive; throws for one over the size limit. */
  next(): Envelope | undefined {
    if (this.buffered < prefixBytes) {
      return undefined;
    }
    const prefix = this.peek(prefixBytes);
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefixBytes);
    const length = view.getUint32(1);
    if (length > this.maxBytes) {
      throw new RangeError(`a message of ${length} bytes exceeds the limit of ${this.maxBytes} bytes`);
    }
    if (this.buffered < prefixBytes + length) {
      return undefined;
    }
    const bytes = this.take(prefixBytes + length);
    return { flags: view.getUint8(0), payload: bytes.subarray(prefixBytes) };
  }

  /** The first `count` buffered bytes, without consuming them. */
  private peek(count: number): Uint8Array {
    const first = this.chunks[0] as Uint8Array;
    if (first.byteLength >= count) {
      return first.subarray(0, count);
    }
    this.chunks = [concat(this.chunks, this.buffered)];
    return (this.chunks[0] as Uint8Array).subarray(0, count);
  }

  /** Consumes the first `count` buffered bytes. */
  private take(count: number): Uint8Array {
    const first = this.peek(count);
    const head = this.chunks[0] as Uint8Array;
    if (head.byteLength === count) {
      this.chunks.shift();
    } else {
      this.chunks[0] = head.subarray(count);
    }
    this.buffered -= count;
    return first;
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
