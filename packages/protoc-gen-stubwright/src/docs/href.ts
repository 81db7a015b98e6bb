import { posix } from "node:path";
import type { LinkTarget } from "./doc-model.js";

/**
 * The href of a link target as written on page `fromPage` (both pages
 * without extension; `extension` is the output format's, `.md` or `.html`):
 * a fragment on the same page, a relative path to another page, or a URL.
 */
export function hrefOf(target: LinkTarget, fromPage: string, extension: string): string {
  if (target.kind === "url") {
    return target.url;
  }
  if (target.page === fromPage) {
    return `#${target.anchor}`;
  }
  return `${posix.relative(posix.dirname(fromPage), target.page)}${extension}#${target.anchor}`;
}
