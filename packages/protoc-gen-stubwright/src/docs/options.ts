/** The output formats of protoc-gen-stubwright-docs. */
export type DocsFormat = "markdown" | "html";

/** Options of protoc-gen-stubwright-docs, parsed from the request's parameter. */
export interface DocsOptions {
  /** The formats to write, in a fixed order (markdown first); never empty. */
  readonly formats: readonly DocsFormat[];
}

const formatValues: Readonly<Record<string, readonly DocsFormat[]>> = {
  markdown: ["markdown"],
  md: ["markdown"],
  html: ["html"],
  both: ["markdown", "html"],
};

/**
 * Parses the parameter protoc or buf passes (`format=html`, comma-separated
 * `key=value` pairs). Without `format` both formats are written; `format` may
 * repeat (`format=markdown,format=html`). Anything unknown or malformed
 * throws an Error naming the option and what it accepts.
 */
export function parseDocsOptions(parameter: string): DocsOptions {
  const chosen = new Set<DocsFormat>();
  for (const pair of parameter.split(",")) {
    if (pair.trim() === "") {
      continue;
    }
    const eq = pair.indexOf("=");
    const key = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? "" : pair.slice(eq + 1).trim();
    if (key !== "format") {
      throw new Error(`unknown option "${key}"; protoc-gen-stubwright-docs accepts format=markdown, format=html or format=both`);
    }
    const formats = formatValues[value];
    if (formats === undefined) {
      throw new Error(`invalid option "format=${value}": format accepts markdown, html or both`);
    }
    for (const format of formats) {
      chosen.add(format);
    }
  }
  const all: readonly DocsFormat[] = ["markdown", "html"];
  return { formats: chosen.size === 0 ? all : all.filter((format) => chosen.has(format)) };
}
