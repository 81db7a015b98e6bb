type BufferClass = {
  isBuffer(value: unknown): boolean;
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array;
};

/** Node's Buffer when there is one (never in a browser); looked up, not imported, so importers bundle anywhere. */
const NodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;

/**
 * On Node, `bytes` as a Buffer view of the same memory (no copy), since
 * grpc-js takes only Buffers; elsewhere `bytes` itself.
 */
export function asNodeBuffer(bytes: Uint8Array): Uint8Array {
  return NodeBuffer === undefined || NodeBuffer.isBuffer(bytes) ? bytes : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
