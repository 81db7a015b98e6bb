import { create } from "@bufbuild/protobuf";
import { PayloadSchema, PayloadType, type Payload } from "./gen/src/proto/grpc/testing/messages_pb.js";

/** A COMPRESSABLE payload of `size` zero bytes, as every interop message carries. */
export function zeroPayload(size: number): Payload {
  return create(PayloadSchema, { type: PayloadType.COMPRESSABLE, body: new Uint8Array(size) });
}

/** True when `body` is exactly `size` bytes, all zero. */
export function isZeroBody(body: Uint8Array | undefined, size: number): boolean {
  return body !== undefined && body.length === size && body.every((byte) => byte === 0);
}
