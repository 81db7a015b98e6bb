import { Code, codeFromName } from "../code.js";

/** The code a Connect error's name stands for; a name Connect does not define is UNKNOWN. */
export function codeFromConnectName(name: string): Code {
  if (name === "canceled") {
    return Code.CANCELLED;
  }
  const code = codeFromName(name);
  return code === undefined || code === Code.OK ? Code.UNKNOWN : code;
}

/** The Connect protocol's name of a code: the enum name in snake case, with "canceled" spelled as Connect does. */
export function connectCodeName(code: number): string {
  if (code === Code.CANCELLED) {
    return "canceled";
  }
  const name = Code[code as Code] as string | undefined;
  return name === undefined || code === Code.OK ? "unknown" : name.toLowerCase();
}
