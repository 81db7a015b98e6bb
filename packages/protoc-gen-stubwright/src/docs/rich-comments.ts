import type { RichText, TextPart } from "./doc-model.js";
import type { Linker } from "./links.js";

/**
 * `code` spans and `[text][full.name]` cross-references (the convention of
 * googleapis comments). Other text, including Markdown or HTML a comment may
 * contain, stays plain text: a renderer escapes it, so a comment can never
 * add a link that does not resolve or markup that breaks the page.
 */
const inline = /`([^`\n]+)`|\[([^[\]\n]+)\]\[([^[\]\n]*)\]/g;

/**
 * Turns a comment into rich text: code spans become code, references to
 * documented elements become links (a reference to anything else keeps its
 * text, unlinked).
 */
export function richComment(comment: string, linker: Linker): RichText {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of comment.matchAll(inline)) {
    if (match.index > last) {
      parts.push({ text: comment.slice(last, match.index), code: false });
    }
    const [, code, label, ref] = match;
    if (code !== undefined) {
      parts.push({ text: code, code: true });
    } else if (label !== undefined) {
      const fullName = (ref === "" || ref === undefined ? label : ref).replace(/^\./, "");
      parts.push({ text: label, target: linker.resolve(fullName), code: false });
    }
    last = match.index + match[0].length;
  }
  if (last < comment.length) {
    parts.push({ text: comment.slice(last), code: false });
  }
  return parts;
}
