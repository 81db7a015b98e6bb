import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { createStubwrightPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";
import { compileProtos, createRequest, decodeResponse, encodeRequest } from "../support/plugin-request.js";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * google.api.http rules that cannot be served are generation errors of
 * protoc-gen-stubwright, naming the file, service, method and rule; rules on
 * client- and bidi-streaming methods are reported as ignored.
 */

const annotations = Object.fromEntries(
  ["annotations.proto", "http.proto"].map((name) => [`google/api/${name}`, readFileSync(join(repoRoot, "packages/runtime/proto/google/api", name), "utf8")]),
);

const messages = `
message Inner { string id = 1; Deep deep = 2; }
message Deep { string leaf = 1; }
message Request {
  string name = 1;
  repeated string tags = 2;
  Inner inner = 3;
  int32 count = 4;
  map<string, string> labels = 5;
  repeated Inner items = 6;
}
message Response { string title = 1; }
`;

/** A file `rules/v1/<name>.proto` of package rules.v1 with `body` (services) and the messages above. */
function ruleFile(body: string): string {
  return `syntax = "proto3";
package rules.v1;
import "google/api/annotations.proto";
${messages}
${body}`;
}

/** One service Rules with one method Call whose option is `rule`. */
function oneRule(rule: string, signature = "rpc Call(Request) returns (Response)"): string {
  return ruleFile(`service Rules {\n  ${signature} { option (google.api.http) = { ${rule} }; }\n}\n`);
}

const cases: Record<string, { proto: string; error: RegExp }> = {
  "a path variable naming no field": {
    proto: oneRule('get: "/v1/{missing}"'),
    error: /rpc rules\.v1\.Rules\.Call: google\.api\.http rule get: "\/v1\/\{missing\}": path variable \{missing\}: rules\.v1\.Request has no field "missing"/,
  },
  "a nested path variable naming no field": {
    proto: oneRule('get: "/v1/{inner.nope}"'),
    error: /rule get: "\/v1\/\{inner\.nope\}": path variable \{inner\.nope\}: rules\.v1\.Inner has no field "nope"/,
  },
  "a path variable on a repeated field": {
    proto: oneRule('get: "/v1/{tags}"'),
    error: /rule get: "\/v1\/\{tags\}": path variable \{tags\}: a path variable must be a singular scalar or enum field, not a list/,
  },
  "a path variable on a message field": {
    proto: oneRule('get: "/v1/{inner}"'),
    error: /rule get: "\/v1\/\{inner\}": path variable \{inner\}: a path variable must be a singular scalar or enum field, not a message/,
  },
  "a path through a scalar field": {
    proto: oneRule('get: "/v1/{name.x}"'),
    error: /path variable \{name\.x\}: rules\.v1\.Request\.name is not a singular message field/,
  },
  "a body naming no field": {
    proto: oneRule('post: "/v1/calls" body: "nothing"'),
    error: /rule post: "\/v1\/calls": body "nothing" is not a top-level field of rules\.v1\.Request/,
  },
  "a nested body field": {
    proto: oneRule('post: "/v1/calls" body: "inner.id"'),
    error: /body "inner\.id" is not a top-level field of rules\.v1\.Request/,
  },
  "a repeated scalar body field": {
    proto: oneRule('post: "/v1/calls" body: "tags"'),
    error: /rule post: "\/v1\/calls": body "tags" is a repeated field; it must be "\*" or a non-repeated top-level field/,
  },
  "a repeated message body field": {
    proto: oneRule('post: "/v1/calls" body: "items"'),
    error: /body "items" is a repeated field/,
  },
  "a map body field": {
    proto: oneRule('post: "/v1/calls" body: "labels"'),
    error: /body "labels" is a map field/,
  },
  "a response_body naming no field": {
    proto: oneRule('get: "/v1/calls" response_body: "body"'),
    error: /rule get: "\/v1\/calls": response_body "body" is not a top-level field of rules\.v1\.Response/,
  },
  "a template without a leading slash": {
    proto: oneRule('get: "v1/calls"'),
    error: /rule get: "v1\/calls": invalid path template "v1\/calls": it must start with "\/"/,
  },
  "a template with an unclosed variable": {
    proto: oneRule('get: "/v1/{name"'),
    error: /invalid path template "\/v1\/\{name": "\{" without "\}"/,
  },
  "a template with nested variables": {
    proto: oneRule('get: "/v1/{name={inner.id}}"'),
    error: /invalid path template .*: a variable must not contain another variable/,
  },
  "a template with two **": {
    proto: oneRule('get: "/v1/{name=**}/x/**"'),
    error: /only one "\*\*" may appear/,
  },
  "a custom pattern without kind": {
    proto: oneRule('custom: { path: "/v1/calls" }'),
    error: /its custom pattern has no kind/,
  },
  "an invalid additional binding": {
    proto: oneRule('get: "/v1/calls" additional_bindings { get: "/v2/{nope}" }'),
    error: /rpc rules\.v1\.Rules\.Call: google\.api\.http rule get: "\/v2\/\{nope\}": path variable \{nope\}/,
  },
};

/**
 * Rules an earlier rule of the file shadows (googleapis has such pairs, e.g.
 * google/cloud/bigquery/storage/v1): generated all the same, with a warning.
 */
const shadowed: Record<string, { proto: string; warning: RegExp }> = {
  "two rules of one method for the same route (via additional_bindings)": {
    proto: oneRule('get: "/v1/{name}" additional_bindings { get: "/v1/{inner.id}" }'),
    warning:
      /rpc rules\.v1\.Rules\.Call: google\.api\.http rule GET "\/v1\/\{inner\.id\}" is not served: rules\.v1\.Rules\.Call's GET "\/v1\/\{name\}" matches the same requests and comes first/,
  },
  "two methods of one service for the same route": {
    proto: ruleFile(`service Rules {
  rpc Call(Request) returns (Response) { option (google.api.http) = { post: "/v1/{name}:run" body: "*" }; }
  rpc Other(Request) returns (Response) { option (google.api.http) = { post: "/v1/{inner.id}:run" body: "inner" }; }
}
`),
    warning:
      /rpc rules\.v1\.Rules\.Other: google\.api\.http rule POST "\/v1\/\{inner\.id\}:run" is not served: rules\.v1\.Rules\.Call's POST "\/v1\/\{name\}:run" matches the same requests and comes first/,
  },
  "two services of one file for the same route": {
    proto: ruleFile(`service Rules {
  rpc Call(Request) returns (Response) { option (google.api.http) = { get: "/v1/things/{name}" }; }
}
service More {
  rpc Fetch(Request) returns (Response) { option (google.api.http) = { get: "/v1/other" additional_bindings { get: "/v1/things/{inner.id}" } }; }
}
`),
    warning:
      /rpc rules\.v1\.More\.Fetch: google\.api\.http rule GET "\/v1\/things\/\{inner\.id\}" is not served: rules\.v1\.Rules\.Call's GET "\/v1\/things\/\{name\}" matches the same requests and comes first/,
  },
};

let sets: Record<string, FileDescriptorSet>;
let valid: FileDescriptorSet;

beforeAll(() => {
  sets = {};
  // Files of one package may not declare the same names twice, so each case compiles on its own.
  for (const [index, [name, { proto }]] of [...Object.entries(cases), ...Object.entries(shadowed)].entries()) {
    sets[name] = compileProtos({ ...annotations, [`rules/v1/case${index}.proto`]: proto });
  }
  valid = compileProtos({
    ...annotations,
    "rules/v1/valid.proto": ruleFile(`service Rules {
  rpc Call(Request) returns (Response) { option (google.api.http) = { get: "/v1/{name=things/*}" }; }
  // Uploads requests.
  rpc Upload(stream Request) returns (Response) { option (google.api.http) = { post: "/v1/{name=things/*}" body: "*" }; }
  rpc Chat(stream Request) returns (stream Response) { option (google.api.http) = { get: "/v1/{name=things/*}" }; }
  rpc Plain(stream Request) returns (Response);
}
`),
  });
});

function generate(set: FileDescriptorSet, warnings: string[] = []) {
  const file = set.file.find((f) => f.name.startsWith("rules/"))?.name ?? "";
  const response = decodeResponse(
    runPlugin(
      createStubwrightPlugin((message) => warnings.push(message)),
      encodeRequest(createRequest(set, [file], "target=ts")),
    ),
  );
  return { file, response };
}

describe("protoc-gen-stubwright on google.api.http rules that cannot be served", () => {
  it.each(Object.entries(cases))("%s: a generation error naming the file, service, method and rule", (name, { error }) => {
    const { file, response } = generate(sets[name] as FileDescriptorSet);
    expect(response.file).toEqual([]);
    expect(response.error).toMatch(new RegExp(`^protoc-gen-stubwright: ${file.replaceAll(".", "\\.")}: `));
    expect(response.error).toMatch(error);
  });
});

describe("protoc-gen-stubwright on google.api.http rules an earlier rule shadows", () => {
  it.each(Object.entries(shadowed))("%s: generates, and warns naming both rules", (name, { warning }) => {
    const warnings: string[] = [];
    const { file, response } = generate(sets[name] as FileDescriptorSet, warnings);
    expect(response.error).toBe("");
    expect(response.file.map((f) => f.name)).toEqual([file.replace(/\.proto$/, "_grpc.ts")]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${file.replaceAll(".", "\\.")}: `));
    expect(warnings[0]).toMatch(warning);
  });
});

describe("protoc-gen-stubwright on rules of client- and bidi-streaming methods", () => {
  it("generates, warns once per such method, and says so on the handler", () => {
    const warnings: string[] = [];
    const { response } = generate(valid, warnings);
    expect(response.error).toBe("");
    // Call and Chat share a route, but Chat is never routed, so there is no conflict.
    expect(warnings).toEqual([
      "rules/v1/valid.proto: rpc rules.v1.Rules.Upload: its google.api.http rule is ignored: client-streaming methods are not served over REST (only unary and server-streaming ones are)",
      "rules/v1/valid.proto: rpc rules.v1.Rules.Chat: its google.api.http rule is ignored: bidi-streaming methods are not served over REST (only unary and server-streaming ones are)",
    ]);
    const code = response.file[0]?.content ?? "";
    expect(code).toMatch(/Uploads requests\.\n {3}\*\n {3}\* Not served over REST: its google\.api\.http rule is ignored, as client-streaming methods are/);
    expect(code).toContain("Not served over REST: its google.api.http rule is ignored, as bidi-streaming methods are");
    expect(code.match(/Not served over REST/g)).toHaveLength(2);
  });

  it("the executable writes the warning on stderr, which protoc and buf show, and still answers", () => {
    const set = valid;
    const request = encodeRequest(createRequest(set, ["rules/v1/valid.proto"], "target=ts"));
    const result = spawnSync(process.execPath, [join(repoRoot, "packages/protoc-gen-stubwright/bin/protoc-gen-stubwright")], {
      input: request,
      timeout: programTimeoutMs,
    });
    expect(result.status).toBe(0);
    expect(decodeResponse(result.stdout).error).toBe("");
    expect(result.stderr.toString()).toBe(
      "protoc-gen-stubwright: warning: rules/v1/valid.proto: rpc rules.v1.Rules.Upload: its google.api.http rule is ignored: client-streaming methods are not served over REST (only unary and server-streaming ones are)\n" +
        "protoc-gen-stubwright: warning: rules/v1/valid.proto: rpc rules.v1.Rules.Chat: its google.api.http rule is ignored: bidi-streaming methods are not served over REST (only unary and server-streaming ones are)\n",
    );
  });
});
