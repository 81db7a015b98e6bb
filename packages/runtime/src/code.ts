/**
 * The 17 gRPC status codes, numbered as on the wire (`grpc-status`).
 *
 * The numbers are fixed by the gRPC protocol, so they are safe to persist and
 * to compare with `@grpc/grpc-js`'s `status` values.
 */
export enum Code {
  OK = 0,
  CANCELLED = 1,
  UNKNOWN = 2,
  INVALID_ARGUMENT = 3,
  DEADLINE_EXCEEDED = 4,
  NOT_FOUND = 5,
  ALREADY_EXISTS = 6,
  PERMISSION_DENIED = 7,
  RESOURCE_EXHAUSTED = 8,
  FAILED_PRECONDITION = 9,
  ABORTED = 10,
  OUT_OF_RANGE = 11,
  UNIMPLEMENTED = 12,
  INTERNAL = 13,
  UNAVAILABLE = 14,
  DATA_LOSS = 15,
  UNAUTHENTICATED = 16,
}

/**
 * Returns the canonical upper-case name of a code, e.g. `"NOT_FOUND"`, or
 * `"CODE_<n>"` for a number outside the 17 known codes.
 */
export function codeName(code: number): string {
  return isCode(code) ? Code[code] : `CODE_${code}`;
}

/**
 * Parses a code from its canonical name (`"NOT_FOUND"`) or its lower-case
 * form (`"not_found"`); returns `undefined` for anything else.
 */
export function codeFromName(name: string): Code | undefined {
  const value: unknown = (Code as Record<string, unknown>)[name.toUpperCase()];
  return typeof value === "number" ? (value as Code) : undefined;
}

/**
 * Narrows a number to one of the 17 known codes. A peer may send any
 * integer in `grpc-status`; unknown ones are treated as UNKNOWN by callers.
 */
export function isCode(value: number): value is Code {
  return Number.isInteger(value) && value >= Code.OK && value <= Code.UNAUTHENTICATED;
}
