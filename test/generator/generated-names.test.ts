import { join } from "node:path";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { createEcmaScriptPlugin } from "@bufbuild/protoplugin";
import { describe, expect, it } from "vitest";
import { generatedSchemaName, generatedServiceName, generatedShapeName } from "../../packages/protoc-gen-stubwright/dist/generated-names.js";
import { findCorpus } from "../corpus/corpus-files.mjs";
import { buildRequest } from "../support/code-generator-request.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

// The plugin computes protoc-gen-es's export names once per file instead of
// asking protoplugin (which recomputes the whole file on every call). Both
// must agree on every message and service, including the clash-resolving `$`
// suffixes.
const corpus = findCorpus();
const inputs = [
  "test/fixtures/protos",
  "test/fixtures/protos-es-invalid",
  join(corpus, "protobuf-es"),
  join(corpus, "ts-proto-avoid-import-conflicts"),
  join(corpus, "ts-proto-reserved-words"),
  join(corpus, "ts-proto-global-this"),
];

describe("generated names", () => {
  it.each(inputs)("agree with protoplugin for every message and service in %s", (input) => {
    const mismatches: string[] = [];
    let checked = 0;
    let services = 0;
    const plugin = createEcmaScriptPlugin({
      name: "names-check",
      version: "v0",
      generateTs(schema) {
        const f = schema.generateFile("unused.ts");
        for (const file of schema.allFiles) {
          for (const desc of nestedTypes(file)) {
            if (desc.kind === "service") {
              services++;
              const [expected, actual] = [f.importSchema(desc).name, generatedServiceName(desc)];
              if (expected !== actual) {
                mismatches.push(`${desc.typeName}: protoplugin ${expected}, ours ${actual}`);
              }
              continue;
            }
            if (desc.kind !== "message") {
              continue;
            }
            checked++;
            const expected = [f.importSchema(desc).name, f.importShape(desc).name];
            const actual = [generatedSchemaName(desc), generatedShapeName(desc)];
            if (expected.join() !== actual.join()) {
              mismatches.push(`${desc.typeName}: protoplugin ${expected.join()}, ours ${actual.join()}`);
            }
          }
        }
      },
    });
    const response = plugin.run(buildRequest(input, { parameter: "target=ts" }));
    expect(response.error ?? "").toBe("");
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(0);
    if (input.startsWith("test/fixtures/")) {
      expect(services).toBeGreaterThan(0);
    }
  });
});
