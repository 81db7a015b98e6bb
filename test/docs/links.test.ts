import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { findBrokenLinks, headingAnchors } from "./doc-links.js";

/**
 * Every relative link of README.md, the other top-level Markdown files and
 * docs/*.md points to a file that exists, and its #anchor to a heading there.
 */

const docFiles = [
  ...readdirSync(repoRoot).filter((name) => name.endsWith(".md")),
  ...readdirSync(join(repoRoot, "docs")).flatMap((name) => (name.endsWith(".md") ? [`docs/${name}`] : [])),
];

const tmpRoot = join(repoRoot, ".stubwright-tmp");
mkdirSync(tmpRoot, { recursive: true });
const scratch = mkdtempSync(join(tmpRoot, "doc-links-"));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("relative links in README.md and docs/", () => {
  it("finds the guides", () => {
    expect(docFiles).toEqual(expect.arrayContaining(["README.md", "docs/getting-started.md", "docs/migrating-from-grpc-js.md"]));
  });

  it("every relative link resolves, anchors included", () => {
    const broken = findBrokenLinks(repoRoot, docFiles).map((link) => `${link.file}:${link.line}: ${link.target}: ${link.reason}`);
    expect(broken).toEqual([]);
  });

  it("reports a missing file, a missing anchor and a link out of the repository, and ignores code", () => {
    mkdirSync(join(scratch, "docs"));
    writeFileSync(join(scratch, "docs/guide.md"), "# Guide\n\n## The `init` command, step 1\n\n## Repeated\n\n## Repeated\n");
    writeFileSync(
      join(scratch, "README.md"),
      [
        "[ok](docs/guide.md#the-init-command-step-1) [ok](docs/guide.md#repeated-1) [ok](#readme) [ok](https://example.com/x.md)",
        "[missing](docs/nothing.md) [bad anchor](docs/guide.md#the-init-command) [outside](../elsewhere.md)",
        "`[in code](docs/nothing.md)`",
        "```md",
        "[in a block](docs/nothing.md)",
        "```",
        "# README",
        "[ref]: docs/guide.md#nope",
      ].join("\n"),
    );
    expect(findBrokenLinks(scratch, ["README.md"])).toEqual([
      { file: "README.md", line: 2, target: "docs/nothing.md", reason: "no such file" },
      { file: "README.md", line: 2, target: "docs/guide.md#the-init-command", reason: "no heading with anchor #the-init-command" },
      { file: "README.md", line: 2, target: "../elsewhere.md", reason: "points outside the repository" },
      { file: "README.md", line: 8, target: "docs/guide.md#nope", reason: "no heading with anchor #nope" },
    ]);
  });

  it("computes anchors as GitHub does", () => {
    expect([...headingAnchors("# Migrating from @grpc/grpc-js\n## ESM with buf\n### `stubwright generate [dir]`\n## 1. Set up\n")]).toEqual([
      "migrating-from-grpcgrpc-js",
      "esm-with-buf",
      "stubwright-generate-dir",
      "1-set-up",
    ]);
  });
});
