/** A path segment or variable value with a malformed escape or bytes that are not UTF-8. */
export class PercentDecodeError extends Error {
  override name = "PercentDecodeError";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Percent-decodes URL path text as gRPC transcoding asks: everything for
 * single-segment variables, and everything but `%2F` / `%2f` (left as
 * written) for multi-segment ones, so a captured resource name keeps an
 * encoded slash apart from the slashes between its segments.
 */
export function percentDecode(text: string, keepEncodedSlash: boolean): string {
  if (!text.includes("%")) {
    return text;
  }
  const bytes: number[] = [];
  let out = "";
  const flush = (): void => {
    if (bytes.length > 0) {
      out += decodeUtf8(bytes, text);
      bytes.length = 0;
    }
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char !== "%") {
      flush();
      out += char;
      continue;
    }
    const byte = Number.parseInt(text.slice(i + 1, i + 3), 16);
    if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3)) || Number.isNaN(byte)) {
      throw new PercentDecodeError(`malformed percent-encoding in "${text}"`);
    }
    if (keepEncodedSlash && byte === 0x2f) {
      flush();
      out += text.slice(i, i + 3);
    } else {
      bytes.push(byte);
    }
    i += 2;
  }
  flush();
  return out;
}

function decodeUtf8(bytes: readonly number[], text: string): string {
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new PercentDecodeError(`percent-encoded bytes in "${text}" are not UTF-8`);
  }
}
