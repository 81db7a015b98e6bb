/**
 * Decodes a `grpc-web-text` body: base64, possibly several padded chunks one
 * after another (clients encode each frame on its own), whitespace ignored.
 */
export function decodeGrpcWebText(body: Buffer): Buffer {
  const text = body.toString("latin1").replace(/\s+/g, "");
  // A chunk ends after its padding: split there, so each decodes on its own.
  const chunks = text.split(/(?<==)(?=[^=])/);
  return Buffer.concat(chunks.map((chunk) => Buffer.from(chunk, "base64")));
}
