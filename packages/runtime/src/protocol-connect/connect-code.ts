import { Code } from "../code.js";

/** The Connect protocol's name of a code: the enum name in snake case, with "canceled" spelled as Connect does. */
export function connectCodeName(code: number): string {
  if (code === Code.CANCELLED) {
    return "canceled";
  }
  const name = Code[code as Code] as string | undefined;
  return name === undefined || code === Code.OK ? "unknown" : name.toLowerCase();
}
