import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFiles } from "../support/file-tree.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { createScratch, oneLineError, shopProto, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/** `stubwright docs`: protoc-gen-stubwright-docs through buf, one page per package. */

const { project } = createScratch("docs");

const storeProto = shopProto.replace("shop.v1", "store.v1");

describe("stubwright docs", () => {
  it("writes Markdown and HTML per package into docs/api/ and says how many files", () => {
    const dir = project({ "proto/shop/v1/shop.proto": shopProto, "proto/store/v1/store.proto": storeProto });
    const result = stubwright(dir, ["docs"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^4 files written in \d+\.\d s\n$/);
    expect(result.status).toBe(0);
    expect(listFiles(join(dir, "docs/api"))).toEqual(["shop/v1/index.html", "shop/v1/index.md", "store/v1/index.html", "store/v1/index.md"]);
    expect(readFileSync(join(dir, "docs/api/shop/v1/index.md"), "utf8")).toContain("shop.v1.Shop");
    expect(stubwright(dir, ["docs"]).stdout).toMatch(/^0 files written in \d+\.\d s \(the generated code was up to date\)\n$/);
  });

  it("takes --format md or html, and --out", () => {
    const dir = project({ "proto/shop/v1/shop.proto": shopProto });
    expect(stubwright(dir, ["docs", "--format", "md", "--out", "api-md"]).status).toBe(0);
    expect(listFiles(join(dir, "api-md"))).toEqual(["shop/v1/index.md"]);
    expect(stubwright(dir, ["docs", "--format", "html", "--out", "api-html"]).status).toBe(0);
    expect(listFiles(join(dir, "api-html"))).toEqual(["shop/v1/index.html"]);
    expect(oneLineError(stubwright(dir, ["docs", "--format", "pdf"]))).toBe('--format must be md, html or both, got "pdf"');
  });

  it("reads the modules of a buf.yaml", () => {
    const dir = project({ "buf.yaml": "version: v2\nmodules:\n  - path: api\n", "api/shop/v1/shop.proto": shopProto });
    const result = stubwright(dir, ["docs"]);
    expect(result.status, result.stderr).toBe(0);
    expect(listFiles(join(dir, "docs/api"))).toEqual(["shop/v1/index.html", "shop/v1/index.md"]);
  });

  it("shows buf's errors and exits with its code", () => {
    const dir = project({ "proto/bad.proto": 'syntax = "proto3";\nmessage A { string a = 1 }\n' });
    const result = stubwright(dir, ["docs"]);
    expect(result.stderr).toMatch(/^proto\/bad\.proto:2:\d+:/m);
    expect(result.stderr).toMatch(/\nstubwright: buf generate failed with exit code 100\n$/);
    expect(result.status).toBe(100);
    expect(existsSync(join(dir, "docs"))).toBe(false);
  });
});
