/**
 * An error meant for the terminal: `run` prints its message as one line,
 * without a stack trace, and exits non-zero.
 */
export class CliError extends Error {
  override readonly name = "CliError";
}
