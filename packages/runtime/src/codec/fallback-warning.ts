/** The code of the process warning emitted when the compiled codec leaves a type to protobuf-es. */
const CODEC_FALLBACK_WARNING = "STUBWRIGHT_CODEC_FALLBACK";

const warned = new Set<string>();

/**
 * Says, once per type and reason, that the compiled codec leaves a message
 * type to protobuf-es's codec: still correct, only slower, and a sign that
 * the compiled codec does not know this protobuf-es version or descriptor.
 */
export function warnCodecFallback(typeName: string, reason: string): void {
  const message = `The compiled codec does not support ${typeName} (${reason}); protobuf-es's codec encodes and decodes it instead.`;
  if (warned.has(message)) return;
  warned.add(message);
  // Looked up, not assumed: outside Node there is no process to warn on.
  (globalThis as { process?: { emitWarning?: (message: string, options: { code: string }) => void } }).process?.emitWarning?.(message, {
    code: CODEC_FALLBACK_WARNING,
  });
}
