import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** A relative link of a Markdown file that points nowhere. */
export interface BrokenLink {
  /** The Markdown file, relative to the root given to {@link findBrokenLinks}. */
  readonly file: string;
  /** 1-based line of the link. */
  readonly line: number;
  /** The link target as written. */
  readonly target: string;
  /** Why it is broken. */
  readonly reason: string;
}

/** Markdown text without fenced code blocks and inline code, line for line, so links in code are not links. */
function withoutCode(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split(/\r?\n/).map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return "";
    }
    if (marker !== undefined) {
      fence = marker;
      return "";
    }
    return line.replace(/(`+)[^`]*?\1/g, "");
  });
}

/**
 * The anchors GitHub gives a Markdown file's headings: the text without
 * formatting, lower-cased, punctuation removed, spaces as hyphens, and
 * `-1`, `-2`... for repeats. HTML `id` and `name` attributes count too.
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined || marker !== undefined) {
      if (fence === undefined) fence = marker;
      else if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    for (const match of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]+>/g, "");
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of the inline links and images, and of reference definitions, of one line. */
function linkTargets(line: string): string[] {
  const inline = [...line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]!);
  const reference = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line)?.[1];
  return reference === undefined ? inline : [...inline, reference];
}

/**
 * Every relative link of the Markdown files `files` (paths relative to
 * `root`) whose file does not exist, or whose `#anchor` names no heading of
 * the Markdown file it points to. Links with a scheme (`https:`, `mailto:`)
 * are not checked.
 */
export function findBrokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string) => {
    let found = anchorsOf.get(path);
    if (found === undefined) {
      found = headingAnchors(readFileSync(path, "utf8"));
      anchorsOf.set(path, found);
    }
    return found;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const path = join(root, file);
    withoutCode(readFileSync(path, "utf8")).forEach((text, index) => {
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [pathPart = "", anchor] = target.split("#", 2);
        const resolved = pathPart === "" ? path : normalize(join(dirname(path), decodeURIComponent(pathPart)));
        const report = (reason: string) => broken.push({ file, line: index + 1, target, reason });
        if (relative(root, resolved).startsWith("..")) {
          report("points outside the repository");
        } else if (!existsSync(resolved)) {
          report("no such file");
        } else if (anchor !== undefined && anchor !== "" && statSync(resolved).isFile() && resolved.endsWith(".md")) {
          if (!anchors(resolved).has(anchor)) report(`no heading with anchor #${anchor}`);
        }
      }
    });
  }
  return broken;
}
