import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { getComments, type GeneratedFile, type Printable } from "@bufbuild/protoplugin";

/**
 * A JSDoc block: the proto comments of `desc` (leading, then trailing), then
 * an optional sentence of our own, the `@generated from` line and
 * `@deprecated` where the proto says so. protoplugin escapes `*\/` inside the text.
 */
export function docBlock(
  f: GeneratedFile,
  desc: DescService | DescMethod,
  indent: string,
  lead?: string,
): Printable {
  const parts: string[] = [];
  const { leading, trailing } = getComments(desc);
  for (const comment of [leading, trailing]) {
    const text = comment === undefined ? "" : commentText(comment);
    if (text !== "") {
      parts.push(text);
    }
  }
  if (lead !== undefined) {
    parts.push(lead);
  }
  let tags = `@generated from ${desc.toString()}`;
  if (desc.kind === "rpc" ? desc.deprecated || desc.parent.deprecated : desc.deprecated) {
    tags += "\n@deprecated";
  }
  parts.push(tags);
  return f.jsDoc(parts.join("\n\n"), indent);
}

/**
 * A proto comment as JSDoc text. `// text` leaves " text" on every line: drop
 * that one space per line (as protoc-gen-es does) so multi-line comments stay
 * aligned and deeper indentation, e.g. of code samples, survives.
 */
function commentText(comment: string): string {
  return comment
    .split("\n")
    .map((line) => (line.startsWith(" ") ? line.slice(1) : line))
    .join("\n")
    .replace(/^\n+/, "")
    .trimEnd();
}
