import { writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";
import { createScratch, git, oneLineError, runProgram, stubwright } from "./cli-harness.js";

allowTimeForPrograms();

/** `stubwright breaking --against`: buf breaking against a git ref, directory or image, with an explanation per finding. */

const { project } = createScratch("breaking");

const shopPath = "proto/shop/v1/shop.proto";

const shopProto = `syntax = "proto3";
package shop.v1;

message Item {
  string sku = 1;
  int32 count = 2;
  string note = 3;
}

message GetItemRequest { string sku = 1; }

service ShopService {
  rpc GetItem(GetItemRequest) returns (Item);
  rpc DeleteItem(GetItemRequest) returns (Item);
}
`;

const explanations = {
  FIELD_NO_DELETE:
    "  Old clients still send and expect this field: the new side drops its value silently, JSON readers reject the unknown name, and code using it no longer compiles; reserve the number and name instead.",
  FIELD_SAME_TYPE:
    "  Old clients decode this field with its old type: they fail to parse the message or read wrong values (truncated numbers, garbled strings), and generated code changes type.",
  RPC_NO_DELETE: "  Old clients still call this method: their calls fail with UNIMPLEMENTED.",
  FIELD_SAME_NAME:
    "  Code generated from the old schema uses the old name and no longer compiles, and JSON clients that send the old name are ignored or rejected.",
  FIELD_SAME_JSON_NAME:
    "  JSON clients (Connect, gRPC-Gateway, protojson) send and expect the old JSON name: their value is ignored or rejected, and they miss the new one.",
};

/** A git repository on branch main whose one commit holds shop.proto, with `files` besides. */
function repository(files: Readonly<Record<string, string>> = {}): string {
  const dir = project({ [shopPath]: shopProto, ...files });
  git(dir, ["init", "--quiet", "--initial-branch=main"]);
  git(dir, ["add", "--all"]);
  git(dir, ["commit", "--quiet", "--message", "shop"]);
  return dir;
}

/** Changes shop.proto in the working tree. */
function edit(dir: string, change: (proto: string) => string): void {
  const next = change(shopProto);
  expect(next).not.toBe(shopProto);
  writeFileSync(join(dir, shopPath), next);
}

describe("stubwright breaking --against a git ref", () => {
  it.each([
    {
      change: "delete a field",
      edit: (proto: string) => proto.replace("  string note = 3;\n", ""),
      stdout: [
        'proto/shop/v1/shop.proto:4:1: FIELD_NO_DELETE: Previously present field "3" with name "note" on message "Item" was deleted.',
        explanations.FIELD_NO_DELETE,
      ],
    },
    {
      change: "change a field's type",
      edit: (proto: string) => proto.replace("int32 count = 2;", "string count = 2;"),
      stdout: [
        'proto/shop/v1/shop.proto:6:3: FIELD_SAME_TYPE: Field "2" with name "count" on message "Item" changed type from "int32" to "string".',
        explanations.FIELD_SAME_TYPE,
      ],
    },
    {
      change: "change a field's number",
      edit: (proto: string) => proto.replace("string note = 3;", "string note = 4;"),
      stdout: [
        'proto/shop/v1/shop.proto:4:1: FIELD_NO_DELETE: Previously present field "3" with name "note" on message "Item" was deleted.',
        explanations.FIELD_NO_DELETE,
      ],
    },
    {
      change: "remove an rpc",
      edit: (proto: string) => proto.replace("  rpc DeleteItem(GetItemRequest) returns (Item);\n", ""),
      stdout: [
        'proto/shop/v1/shop.proto:12:1: RPC_NO_DELETE: Previously present RPC "DeleteItem" on service "ShopService" was deleted.',
        explanations.RPC_NO_DELETE,
      ],
    },
  ])("catches the change when you $change, explains it, and exits 100", ({ edit: change, stdout }) => {
    const dir = repository();
    edit(dir, change);
    const result = stubwright(dir, ["breaking", "--against", "main"]);
    expect(result.stdout).toBe(`${stdout.join("\n")}\n`);
    expect(result.stderr).toBe("stubwright: 1 breaking change against git ref main (FILE rules)\n");
    expect(result.status).toBe(100);
  });

  it("reports every change at once", () => {
    const dir = repository();
    edit(dir, (proto) => proto.replace("string sku = 1;\n  int32", "string id = 1;\n  int32"));
    const result = stubwright(dir, ["breaking", "--against", "main"]);
    expect(result.stdout).toBe(
      [
        'proto/shop/v1/shop.proto:5:3: FIELD_SAME_JSON_NAME: Field "1" with name "id" on message "Item" changed option "json_name" from "sku" to "id".',
        explanations.FIELD_SAME_JSON_NAME,
        'proto/shop/v1/shop.proto:5:10: FIELD_SAME_NAME: Field "1" on message "Item" changed name from "sku" to "id".',
        explanations.FIELD_SAME_NAME,
        "",
      ].join("\n"),
    );
    expect(result.stderr).toBe("stubwright: 2 breaking changes against git ref main (FILE rules)\n");
    expect(result.status).toBe(100);
  });

  it("exits 0 on a compatible change: a new field, message and rpc", () => {
    const dir = repository();
    edit(dir, (proto) =>
      proto
        .replace("  string note = 3;\n", "  string note = 3;\n  repeated string tags = 4;\n")
        .replace("  rpc DeleteItem", "  rpc ListItems(ListItemsRequest) returns (Item);\n  rpc DeleteItem")
        .concat("\nmessage ListItemsRequest { int32 page_size = 1; }\n"),
    );
    const result = stubwright(dir, ["breaking", "--against", "main"]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("no breaking changes against git ref main (FILE rules)\n");
    expect(result.status).toBe(0);
  });

  it("compares committed changes on a branch, in a project in a subdirectory of the repository", () => {
    const dir = project();
    const api = join(dir, "services/api");
    for (const [path, content] of Object.entries({ [shopPath]: shopProto })) {
      runProgram("mkdir", ["-p", join(api, path, "..")], dir);
      writeFileSync(join(api, path), content);
    }
    git(dir, ["init", "--quiet", "--initial-branch=main"]);
    git(dir, ["add", "--all"]);
    git(dir, ["commit", "--quiet", "--message", "shop"]);
    git(dir, ["switch", "--quiet", "--create", "feature"]);
    writeFileSync(join(api, shopPath), shopProto.replace("  string note = 3;\n", ""));
    git(dir, ["commit", "--quiet", "--all", "--message", "drop note"]);
    const result = stubwright(api, ["breaking", "--against", "main"]);
    expect(result.stdout.split("\n")[0]).toBe(
      'proto/shop/v1/shop.proto:4:1: FIELD_NO_DELETE: Previously present field "3" with name "note" on message "Item" was deleted.',
    );
    expect(result.status).toBe(100);
    // The branch against itself: nothing changed.
    expect(stubwright(api, ["breaking", "--against", "HEAD"]).status).toBe(0);
  });

  it("--level picks the rules: a type change that keeps the wire format passes WIRE, not FILE", () => {
    const dir = repository();
    edit(dir, (proto) => proto.replace("int32 count = 2;", "int64 count = 2;"));
    const wire = stubwright(dir, ["breaking", "--against", "main", "--level", "wire"]);
    expect(wire.stdout).toBe("no breaking changes against git ref main (WIRE rules)\n");
    expect(wire.status).toBe(0);
    const file = stubwright(dir, ["breaking", "--against", "main", "--level", "file"]);
    expect(file.stdout.split("\n")[0]).toBe(
      'proto/shop/v1/shop.proto:6:3: FIELD_SAME_TYPE: Field "2" with name "count" on message "Item" changed type from "int32" to "int64".',
    );
    expect(file.status).toBe(100);
    expect(oneLineError(stubwright(dir, ["breaking", "--against", "main", "--level", "strict"]))).toBe(
      '--level must be wire, wire-json, file or package, got "strict"',
    );
  });

  it("uses buf.yaml's breaking rules, which --level overrides", () => {
    const bufYaml = "version: v2\nmodules:\n  - path: proto\nbreaking:\n  use:\n    - WIRE\n";
    const dir = repository({ "buf.yaml": bufYaml });
    edit(dir, (proto) => proto.replace("  rpc DeleteItem(GetItemRequest) returns (Item);\n", ""));
    const wire = stubwright(dir, ["breaking", "--against", "main"]);
    expect(wire.stdout).toBe("no breaking changes against git ref main (buf.yaml's breaking rules)\n");
    expect(wire.status).toBe(0);
    const file = stubwright(dir, ["breaking", "--against", "main", "--level", "file"]);
    expect(file.stderr).toBe("stubwright: 1 breaking change against git ref main (FILE rules)\n");
    expect(file.status).toBe(100);
  });

  it("names a ref that does not exist, and a directory outside git", () => {
    expect(oneLineError(stubwright(repository(), ["breaking", "--against", "nope"]))).toBe(
      "--against nope is neither a directory nor a file here, nor a git ref of this repository (a branch, tag or commit; fetch it first if it is remote)",
    );
    const outside = project({ [shopPath]: shopProto });
    expect(oneLineError(stubwright(outside, ["breaking", "--against", "main"]))).toMatch(
      /^--against main is neither a directory nor a file here, and .+ is not in a git repository, so it cannot be a git ref$/,
    );
  });
});

describe("stubwright breaking --against a directory or an image", () => {
  it("compares with another checkout's directory", () => {
    const dir = project({ [shopPath]: shopProto.replace("  string note = 3;\n", ""), [`old/${shopPath}`]: shopProto });
    const result = stubwright(dir, ["breaking", "--against", "old"]);
    expect(result.stdout.split("\n")[0]).toBe(
      'proto/shop/v1/shop.proto:4:1: FIELD_NO_DELETE: Previously present field "3" with name "note" on message "Item" was deleted.',
    );
    expect(result.stderr).toBe("stubwright: 1 breaking change against directory old (FILE rules)\n");
    expect(result.status).toBe(100);
    // A directory beside the project.
    const sibling = project({ [shopPath]: shopProto });
    const beside = stubwright(dir, ["breaking", "--against", relative(dir, sibling)]);
    expect(beside.stdout).toBe(result.stdout);
    expect(beside.status).toBe(100);
  });

  it("compares with a buf image, and passes buf's JSON through with --error-format json", () => {
    const dir = project({ [shopPath]: shopProto });
    const built = runProgram(tools.buf, ["build", "proto", "-o", "old.binpb"], dir);
    expect(built.status, built.stderr).toBe(0);
    edit(dir, (proto) => proto.replace("  rpc DeleteItem(GetItemRequest) returns (Item);\n", ""));
    const text = stubwright(dir, ["breaking", "--against", "old.binpb"]);
    expect(text.stdout).toBe(
      'proto/shop/v1/shop.proto:12:1: RPC_NO_DELETE: Previously present RPC "DeleteItem" on service "ShopService" was deleted.\n' +
        `${explanations.RPC_NO_DELETE}\n`,
    );
    expect(text.stderr).toBe("stubwright: 1 breaking change against image old.binpb (FILE rules)\n");
    expect(text.status).toBe(100);

    const json = stubwright(dir, ["breaking", "--against", "old.binpb", "--error-format", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ path: shopPath, start_line: 12, type: "RPC_NO_DELETE" });
    expect(json.stderr).toBe("stubwright: buf breaking failed with exit code 100\n");
    expect(json.status).toBe(100);
  });

  it("shows errors in the new .proto files with file:line:column", () => {
    const dir = repository();
    edit(dir, (proto) => proto.replace("string sku = 1;\n  int32", "string sku = 1\n  int32"));
    const result = stubwright(dir, ["breaking", "--against", "main"]);
    expect(result.stdout).toMatch(/^proto\/shop\/v1\/shop\.proto:\d+:\d+: COMPILE: .+\n$/);
    expect(result.stderr).toBe("stubwright: 1 error in .proto files: buf could not build them, so no rule ran\n");
    expect(result.status).toBe(100);
  });
});
