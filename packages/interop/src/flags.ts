/**
 * Command-line flags in the style of the gRPC interop programs: `--name=value`
 * or `--name value`; a bare `--name` means `true`. Unknown flags are kept but
 * never rejected, so any harness can drive the programs.
 */
export type Flags = ReadonlyMap<string, string>;

/** Parses `argv` (without the node and script paths). */
export function parseFlags(argv: readonly string[]): Flags {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) {
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf("=");
    if (eq >= 0) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags.set(body, next);
      i++;
    } else {
      flags.set(body, "true");
    }
  }
  return flags;
}

/** Reads a boolean flag (`true`/`false`, `1`/`0`); throws on anything else. */
export function booleanFlag(flags: Flags, name: string, fallback: boolean): boolean {
  const value = flags.get(name);
  if (value === undefined) {
    return fallback;
  }
  if (value === "true" || value === "1") {
    return true;
  }
  if (value === "false" || value === "0") {
    return false;
  }
  throw new Error(`--${name} must be true or false, got "${value}"`);
}

/** Reads a TCP port flag (0 to 65535); throws when it is missing or malformed. */
export function portFlag(flags: Flags, name: string, fallback?: number): number {
  const value = flags.get(name);
  if (value === undefined) {
    if (fallback === undefined) {
      throw new Error(`--${name} is required`);
    }
    return fallback;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`--${name} must be a port number, got "${value}"`);
  }
  return port;
}
