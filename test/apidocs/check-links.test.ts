import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkLinks } from "./check-links.js";

/** The link checker the docs tests rely on must catch each kind of broken link. */

const scratch = mkdtempSync(join(tmpdir(), "stubwright-links-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tree(name: string, files: Readonly<Record<string, string>>): string {
  const root = join(scratch, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe("checkLinks", () => {
  it("accepts links to existing pages and anchors, in Markdown and HTML", () => {
    const root = tree("good", {
      "a/v1/index.md":
        '<a id="a.v1.X"></a>\n[`X`](#a.v1.X) [`Y`](../../b/index.md#b.Y) [T](https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp)\n',
      "b/index.md": '<a id="b.Y"></a>\n',
      "a/v1/index.html": '<h3 id="a.v1.X"></h3><a href="#a.v1.X">x</a><a href="../../b/index.html#b.Y">y</a>',
      "b/index.html": '<tr id="b.Y"></tr>',
    });
    expect(checkLinks(root)).toEqual({ problems: [], links: 5, pages: 4 });
  });

  it("reports a missing page, a missing anchor, a foreign URL and a repeated id", () => {
    const root = tree("bad", {
      "index.md": '<a id="x"></a><a id="x"></a>\n[a](#nope) [b](other.md#x) [c](https://example.com/) `[code](not-a-link.md)` \\[text\\](not-a-link.md)\n',
      "index.html": '<p id="y"></p><a href="missing.html">m</a><a href="index.md#x">ok</a><a href="#y">ok</a><a href="index.md#z">z</a>',
    });
    const { problems } = checkLinks(root);
    expect(problems).toEqual([
      "index.html: missing.html: no such file",
      'index.html: index.md#z: no id "z" on index.md',
      'index.md: id "x" appears more than once',
      'index.md: #nope: no id "nope" on this page',
      "index.md: other.md#x: no such file",
      "index.md: https://example.com/: external link outside the well-known types documentation",
    ]);
  });
});
