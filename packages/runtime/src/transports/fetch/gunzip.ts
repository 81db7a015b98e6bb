/** True when this runtime can decompress gzip with the web-standard `DecompressionStream` (browsers, Node 18 and later). */
export function canGunzip(): boolean {
  return typeof DecompressionStream === "function";
}

/** True when a response's message-encoding header names gzip. */
export function isGzip(encoding: string | null): boolean {
  return encoding?.trim().toLowerCase() === "gzip";
}

/**
 * Decompresses one gzip message with `DecompressionStream`, refusing to
 * produce more than `maxBytes` (a RangeError then, so a small message cannot
 * inflate past the limit). Data that is not gzip rejects with a TypeError.
 */
export async function gunzip(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new RangeError(`a decompressed message of more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
