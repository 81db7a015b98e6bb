import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";

/** The flag of a compressed message, in gRPC-Web frames and Connect envelopes alike. */
export const compressedFlag = 0x01;

/** One length-prefixed message of a gRPC-Web or Connect streaming body. */
export interface Envelope {
  readonly flags: number;
  readonly data: Uint8Array;
}

/** Frames `data` with the 5-byte prefix both protocols use: a flags byte and a big-endian 32-bit length. */
export function encodeEnvelope(flags: number, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + data.byteLength);
  out[0] = flags;
  out.writeUInt32BE(data.byteLength, 1);
  out.set(data, 5);
  return out;
}

/** Splits a whole body into its envelopes; a truncated one fails with INVALID_ARGUMENT. */
export function parseEnvelopes(body: Uint8Array): Envelope[] {
  const envelopes: Envelope[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let offset = 0;
  while (offset < body.byteLength) {
    if (body.byteLength - offset < 5) {
      throw new RpcError(Code.INVALID_ARGUMENT, "the request body ends inside a message prefix");
    }
    const length = view.getUint32(offset + 1);
    const start = offset + 5;
    if (body.byteLength - start < length) {
      throw new RpcError(Code.INVALID_ARGUMENT, `the request body ends inside a message (${length} bytes announced)`);
    }
    envelopes.push({ flags: body[offset] as number, data: body.subarray(start, start + length) });
    offset = start + length;
  }
  return envelopes;
}
