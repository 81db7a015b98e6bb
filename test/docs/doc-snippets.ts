import { readFileSync } from "node:fs";

/** A fenced code block of a Markdown file. */
export interface DocSnippet {
  /** The Markdown file, as given. */
  readonly file: string;
  /** 1-based line of the block's first line of code (the line after the opening fence). */
  readonly line: number;
  /** The block's language, the first word of its info string (`ts`, `proto`, `sh`...). */
  readonly lang: string;
  /** The other words of the info string, e.g. `no-check` or a proto file's path. */
  readonly flags: readonly string[];
  /** The code, without the fences. */
  readonly code: string;
}

const fence = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/;

/**
 * Every fenced code block of `markdown`. Blocks may be indented (inside a
 * list); their indentation is removed from each line. An unclosed block ends
 * the file, as CommonMark says.
 */
export function extractSnippets(file: string, markdown: string): DocSnippet[] {
  const lines = markdown.split(/\r?\n/);
  const snippets: DocSnippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = fence.exec(lines[index]!);
    if (open === null) {
      continue;
    }
    const [, indent = "", marker = "", lang = "", rest = ""] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !isClosingFence(lines[end]!, marker)) {
      body.push(lines[end]!.startsWith(indent) ? lines[end]!.slice(indent.length) : lines[end]!.trimStart());
      end++;
    }
    snippets.push({ file, line: index + 2, lang, flags: rest.split(/\s+/).filter((word) => word !== ""), code: body.join("\n") });
    index = end;
  }
  return snippets;
}

function isClosingFence(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(marker) && /^(`+|~+)$/.test(trimmed) && trimmed[0] === marker[0];
}

/** Every fenced code block of the Markdown file at `path` (shown as `name`). */
export function readSnippets(path: string, name: string): DocSnippet[] {
  return extractSnippets(name, readFileSync(path, "utf8"));
}
