import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { createScratch, oneLineError, runProgram, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/** `stubwright lint`: buf lint with buf.yaml's rules or STANDARD, findings as `file:line:column: RULE: message`, buf's exit code. */

const { project } = createScratch("lint");

/** Breaks five STANDARD rules that MINIMAL does not check. */
const sloppyProto = `syntax = "proto3";
package shop;

message item { string SKU = 1; }

enum Color { RED = 0; }
`;

const sloppyFindings = [
  'proto/shop/shop.proto:2:1: PACKAGE_VERSION_SUFFIX: Package name "shop" should be suffixed with a correctly formed version, such as "shop.v1".',
  'proto/shop/shop.proto:4:9: MESSAGE_PASCAL_CASE: Message name "item" should be PascalCase, such as "Item".',
  'proto/shop/shop.proto:4:23: FIELD_LOWER_SNAKE_CASE: Field name "SKU" should be lower_snake_case, such as "sku".',
  'proto/shop/shop.proto:6:14: ENUM_VALUE_PREFIX: Enum value name "RED" should be prefixed with "COLOR_".',
  'proto/shop/shop.proto:6:14: ENUM_ZERO_VALUE_SUFFIX: Enum zero value name "RED" should be suffixed with "_UNSPECIFIED".',
];

const cleanProto = `syntax = "proto3";
package shop.v1;

message Item { string sku = 1; }

enum Color {
  COLOR_UNSPECIFIED = 0;
  COLOR_RED = 1;
}
`;

describe("stubwright lint", () => {
  it("without a buf.yaml, lints proto/ with STANDARD and prints each finding as file:line:column: RULE: message", () => {
    const dir = project({ "proto/shop/shop.proto": sloppyProto });
    const result = stubwright(dir, ["lint"]);
    expect(result.stdout).toBe(`${sloppyFindings.join("\n")}\n`);
    expect(result.stderr).toBe("stubwright: 5 lint findings (STANDARD rules)\n");
    expect(result.status).toBe(100);
  });

  it("exits 0 on a clean project and says which rules ran", () => {
    const dir = project({ "proto/shop/v1/shop.proto": cleanProto });
    const result = stubwright(dir, ["lint"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("no lint findings (STANDARD rules)\n");
    expect(result.status).toBe(0);
  });

  it("uses buf.yaml's lint section when it has one, and STANDARD when it has none, without changing the file", () => {
    const minimal = "version: v2\nmodules:\n  - path: proto\nlint:\n  use:\n    - MINIMAL\n";
    const dir = project({ "buf.yaml": minimal, "proto/shop/shop.proto": sloppyProto });
    const relaxed = stubwright(dir, ["lint"]);
    expect(relaxed.stdout).toBe("no lint findings (buf.yaml's lint rules)\n");
    expect(relaxed.status).toBe(0);

    const noSection = "version: v2\nmodules:\n  - path: proto\n";
    const other = project({ "buf.yaml": noSection, "proto/shop/shop.proto": sloppyProto });
    const result = stubwright(other, ["lint"]);
    expect(result.stdout).toBe(`${sloppyFindings.join("\n")}\n`);
    expect(result.stderr).toBe("stubwright: 5 lint findings (STANDARD rules)\n");
    expect(result.status).toBe(100);
    expect(readFileSync(join(other, "buf.yaml"), "utf8")).toBe(noSection);
  });

  it("keeps buf.yaml's except and ignore settings", () => {
    const config = "version: v2\nmodules:\n  - path: proto\nlint:\n  use: [STANDARD]\n  except: [ENUM_VALUE_PREFIX, ENUM_ZERO_VALUE_SUFFIX]\n";
    const dir = project({ "buf.yaml": config, "proto/shop/shop.proto": sloppyProto });
    const result = stubwright(dir, ["lint"]);
    expect(result.stdout).toBe(`${sloppyFindings.slice(0, 3).join("\n")}\n`);
    expect(result.stderr).toBe("stubwright: 3 lint findings (buf.yaml's lint rules)\n");
    expect(result.status).toBe(100);
  });

  it("lints only the paths given", () => {
    const dir = project({ "proto/shop/shop.proto": sloppyProto, "proto/clean/v1/clean.proto": cleanProto.replace("shop.v1", "clean.v1") });
    expect(stubwright(dir, ["lint", "proto/clean"]).status).toBe(0);
    expect(stubwright(dir, ["lint", "proto/shop/shop.proto"]).status).toBe(100);
    expect(oneLineError(stubwright(dir, ["lint", "proto/nope"]))).toBe("proto/nope does not exist");
  });

  it("shows errors in .proto files with file:line:column and exits with buf's code", () => {
    const broken = 'syntax = "proto3";\npackage bad.v1;\nmessage A { string a = 1 }\nmessage B { Missing m = 1; }\n';
    const dir = project({ "proto/bad/v1/bad.proto": broken });
    const result = stubwright(dir, ["lint"]);
    expect(result.stdout).toBe(
      "proto/bad/v1/bad.proto:3:26: COMPILE: unexpected `}` after definition\nproto/bad/v1/bad.proto:4:13: COMPILE: cannot find `Missing` in this scope\n",
    );
    expect(result.stderr).toBe("stubwright: 2 errors in .proto files: buf could not build them, so no rule ran\n");
    const direct = runProgram(tools.buf, ["build", "proto"], dir);
    expect(result.status).toBe(direct.status);
    expect(result.status).toBe(100);
  });

  it("passes buf's JSON through with --error-format json, for tools", () => {
    const dir = project({ "proto/shop/shop.proto": sloppyProto });
    const result = stubwright(dir, ["lint", "--error-format", "json"]);
    const findings = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { path: string; start_line: number; start_column: number; type: string; message: string });
    expect(findings.map((f) => `${f.path}:${f.start_line}:${f.start_column}: ${f.type}: ${f.message}`)).toEqual(sloppyFindings);
    expect(result.stderr).toBe("stubwright: buf lint failed with exit code 100\n");
    expect(result.status).toBe(100);
  });

  it("rejects --root beside a buf.yaml, and a missing root", () => {
    expect(oneLineError(stubwright(project({ "buf.yaml": "version: v2\n" }), ["lint", "--root", "api"]))).toBe(
      "--root cannot be combined with buf.yaml, whose modules say where the .proto files are: change it there",
    );
    expect(oneLineError(stubwright(project(), ["lint"]))).toBe("directory proto does not exist; pass --root <dir> to name the directory of your .proto files");
  });
});
