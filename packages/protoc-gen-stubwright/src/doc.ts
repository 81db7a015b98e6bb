import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { getComments, type GeneratedFile, type Printable } from "@bufbuild/protoplugin";

/**
 * A JSDoc block: the proto comments of `desc`, then an optional sentence of
 * our own, the `@generated from` line and `@deprecated` where the proto says so.
 * protoplugin escapes `*\/` inside the text.
 */
export function docBlock(
  f: GeneratedFile,
  desc: DescService | DescMethod,
  indent: string,
  lead?: string,
): Printable {
  const parts: string[] = [];
  const comments = getComments(desc).leading?.trim();
  if (comments !== undefined && comments !== "") {
    parts.push(comments);
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
