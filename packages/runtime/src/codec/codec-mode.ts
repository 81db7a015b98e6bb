/**
 * Which binary codec the serializers of generated service definitions use:
 * `"compiled"` (the default) — Stubwright's specialized code per message
 * type; `"protobuf-es"` — protobuf-es's own `toBinary`/`fromBinary`.
 */
export type CodecMode = "compiled" | "protobuf-es";

/** The environment variable that selects the codec at startup. */
export const CODEC_ENV = "STUBWRIGHT_CODEC";

let mode: CodecMode = readEnv();

function readEnv(): CodecMode {
  const value = typeof process === "object" ? process.env[CODEC_ENV] : undefined;
  if (value === undefined || value === "" || value === "compiled") return "compiled";
  if (value === "protobuf-es") return "protobuf-es";
  throw new Error(`${CODEC_ENV} must be "compiled" or "protobuf-es", got ${JSON.stringify(value)}`);
}

/**
 * Selects the codec for every serializer, including those already created
 * (it is read on every message). `STUBWRIGHT_CODEC=protobuf-es` in the
 * environment does the same at startup.
 */
export function setCodecMode(next: CodecMode): void {
  if (next !== "compiled" && next !== "protobuf-es") {
    throw new Error(`codec mode must be "compiled" or "protobuf-es", got ${JSON.stringify(next)}`);
  }
  mode = next;
}

/** The codec currently in use. */
export function getCodecMode(): CodecMode {
  return mode;
}
