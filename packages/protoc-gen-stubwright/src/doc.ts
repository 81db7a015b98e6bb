import type { DescMethod, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";
import { getServiceComments } from "./comment-index.js";

/**
 * A JSDoc block: the proto comments of `desc` (leading, then trailing), then
 * an optional sentence of our own, the `@generated from` line and, when
 * `deprecated` (the element or what declares it is), `@deprecated`.
 * protoplugin escapes `*\/` inside the text; CR, U+2028 and U+2029 are
 * already line feeds (see comment-index.ts).
 */
export function docBlock(f: GeneratedFile, desc: DescService | DescMethod, indent: string, deprecated: boolean, lead?: string): Printable {
  const parts: string[] = [];
  const { leading, trailing } = getServiceComments(desc);
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
  if (deprecated) {
    tags += "\n@deprecated";
  }
  parts.push(tags);
  return f.jsDoc(parts.join("\n\n"), indent);
}

/**
 * The text of one proto comment: without the space that follows `//` on
 * every line (as protoc-gen-es prints it), trailing blanks, or empty lines
 * around it. Other indentation, e.g. of code examples, stays.
 */
function commentText(comment: string): string {
  const lines = comment.split("\n").map((line) => (line.startsWith(" ") ? line.slice(1) : line).trimEnd());
  const first = lines.findIndex((line) => line !== "");
  const last = lines.findLastIndex((line) => line !== "");
  return first === -1 ? "" : lines.slice(first, last + 1).join("\n");
}
