import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { listFiles } from "../support/file-tree.js";

/** The only site the plugin links to: the protobuf documentation of the well-known types. */
const allowedExternal = "https://protobuf.dev/reference/protobuf/google.protobuf/";

/** One page's anchors and links, as a reader's browser would see them. */
interface Page {
  readonly ids: readonly string[];
  readonly links: readonly string[];
}

/**
 * Checks every link of every generated .md and .html page under `root`:
 * a relative link must name an existing file and, with a fragment, an id on
 * that page; a fragment alone an id on the same page; an absolute URL must
 * point into the well-known types documentation. Also reports ids that
 * appear twice on a page. Returns the problems (empty when all is well) and
 * how many links were checked.
 */
export function checkLinks(root: string): { problems: string[]; links: number; pages: number } {
  const files = listFiles(root).filter((path) => path.endsWith(".md") || path.endsWith(".html"));
  const cache = new Map<string, Page>();
  const pageAt = (path: string): Page => {
    let page = cache.get(path);
    if (page === undefined) {
      page = parsePage(readFileSync(path, "utf8"), path.endsWith(".html"));
      cache.set(path, page);
    }
    return page;
  };
  const problems: string[] = [];
  let links = 0;
  for (const file of files) {
    const path = join(root, file);
    const page = pageAt(path);
    const seen = new Set<string>();
    for (const id of page.ids) {
      if (seen.has(id)) {
        problems.push(`${file}: id "${id}" appears more than once`);
      }
      seen.add(id);
    }
    for (const link of page.links) {
      links++;
      const problem = checkLink(link, path, pageAt);
      if (problem !== undefined) {
        problems.push(`${file}: ${link}: ${problem}`);
      }
    }
  }
  return { problems, links, pages: files.length };
}

function checkLink(link: string, from: string, pageAt: (path: string) => Page): string | undefined {
  if (/^[a-z]+:/i.test(link)) {
    return link.startsWith(allowedExternal) ? undefined : "external link outside the well-known types documentation";
  }
  const hash = link.indexOf("#");
  const file = hash === -1 ? link : link.slice(0, hash);
  const fragment = hash === -1 ? undefined : decodeURIComponent(link.slice(hash + 1));
  const target = file === "" ? from : resolve(dirname(from), decodeURIComponent(file));
  if (!existsSync(target)) {
    return "no such file";
  }
  if (fragment !== undefined && !pageAt(target).ids.includes(fragment)) {
    return `no id "${fragment}" on ${file === "" ? "this page" : file}`;
  }
  return undefined;
}

/**
 * The ids and link targets of a page. In Markdown, code spans are dropped
 * first (a `](x)` inside one is text, not a link) and escaped brackets are
 * not links; ids are `<a id>` elements, the only anchors the plugin writes.
 */
function parsePage(content: string, html: boolean): Page {
  if (html) {
    const decodeEntities = (value: string) => value.replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
    return {
      ids: [...content.matchAll(/\sid="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? "")),
      links: [...content.matchAll(/\shref="([^"]*)"/g)].map((m) => decodeEntities(m[1] ?? "")),
    };
  }
  const withoutCode = content.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");
  return {
    ids: [...content.matchAll(/<a id="([^"]*)"><\/a>/g)].map((m) => m[1] ?? ""),
    links: [...withoutCode.matchAll(/(?<!\\)\]\(([^()\s]*)\)/g)].map((m) => m[1] ?? ""),
  };
}
