import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { syntaxErrors } from "../support/syntax-errors.js";

// test/fixtures/protos/comments/v1/comments.proto has comments that try to
// break out of their JSDoc block (`*/`), JS line terminators (U+2028/U+2029,
// which protoplugin turns into line feeds), backticks, `${`, and JSDoc tags.
const root = join(import.meta.dirname, "../golden");
const files = {
  ts: join(root, "ts/comments/v1/comments_grpc.ts"),
  dts: join(root, "js-dts/comments/v1/comments_grpc.d.ts"),
  js: join(root, "js-dts/comments/v1/comments_grpc.js"),
};

const serviceText = [
  'A service whose comments try to escape their JSDoc block: */ console.log("escaped");',
  "Separators:",
  "line",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: text that must stay text in generated template literals.
  "paragraph. Template: `${process.exit(1)}` and ${.",
  "JSDoc tags that are just text: @param request @returns {Promise<never>} @see https://example.com",
  "  Indented code line",
  "@example",
  "  await client.say({});",
].join("\n");

const methodDocs: Record<string, string> = {
  say: [
    "Leading: */ /* nested /** doc */ and a lone star *",
    "",
    "starts with a line separator, ends with a paragraph separator",
    "",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: as above.
    "Trailing: */ `${x}`",
    "done",
    "",
    "@generated from rpc comments.v1.Commented.Say",
  ].join("\n"),
  shout: ["Block comment with ** and * / and a URL http://example.com/ *", "", "@generated from rpc comments.v1.Commented.Shout", "@deprecated"].join("\n"),
  whisper: ["@deprecated in the text only; the method is not deprecated.", "", "@generated from rpc comments.v1.Commented.Whisper"].join("\n"),
};

describe("proto comments in generated code", () => {
  it.each(["ts", "dts"] as const)("%s output has no syntax errors and keeps every comment's text", (kind) => {
    const source = ts.createSourceFile(files[kind], readFileSync(files[kind], "utf8"), ts.ScriptTarget.ES2022, true);
    expect(syntaxErrors(files[kind], readFileSync(files[kind], "utf8"))).toEqual([]);
    for (const name of ["CommentedClient", "CommentedHandlers"]) {
      const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
      expect(declaration, name).toBeDefined();
      expect(docOf(source, declaration!)).toContain(serviceText);
      const members = Object.fromEntries(declaration!.members.map((m) => [m.name?.getText(source), docOf(source, m)]));
      expect(members).toEqual(methodDocs);
    }
  });

  it.each(["ts", "dts", "js"] as const)("no comment text leaks into %s code", (kind) => {
    const code = withoutComments(files[kind]);
    for (const leak of ["escaped", "process.exit", "example.com", "nested", "Trailing", "separator"]) {
      expect(code).not.toContain(leak);
    }
  });

  it("the js output loads in Node", async () => {
    const module = (await import(pathToFileURL(files.js).href)) as Record<string, unknown>;
    expect(Object.keys(module).sort()).toEqual(["CommentedDefinition", "createCommentedClient"]);
  });
});

/** The text of the JSDoc block right before `node`, as a reader sees it. */
function docOf(source: ts.SourceFile, node: ts.Node): string {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const block = ranges.at(-1);
  if (block === undefined) {
    return "";
  }
  const raw = source.text.slice(block.pos, block.end);
  expect(raw.startsWith("/**") && raw.endsWith("*/")).toBe(true);
  return raw
    .slice(3, -2)
    .split("\n")
    .map((line) => line.replace(/^\s*\* ?/, ""))
    .join("\n")
    .trim()
    .replaceAll("*\\/", "*/");
}

/** The file as code only: every comment removed by the TypeScript scanner. */
function withoutComments(file: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, readFileSync(file, "utf8"));
  const tokens: string[] = [];
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    tokens.push(scanner.getTokenText());
  }
  return tokens.join(" ");
}
