import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { createOpenApiPlugin, runPlugin } from "@stubwright/protoc-gen-stubwright";
import { afterAll, describe, expect, it } from "vitest";
import { locateCorpus } from "../apidocs/test-inputs.js";
import { tools } from "../support/generate-code.mjs";
import { validateOpenApi } from "../support/openapi-validation.js";
import { createRequest, decodeResponse, encodeRequest } from "../support/plugin-request.js";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * protoc-gen-stubwright-openapi on every file of the corpus's googleapis
 * root (the only root with google.api.http rules): a document for each
 * annotated file, each valid OpenAPI 3.1.
 */

const corpus = locateCorpus();
const scratch = mkdtempSync(join(tmpdir(), "stubwright-openapi-corpus-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The files of the googleapis root with an http rule, found in the source rather than by the plugin. */
const annotatedFiles = [
  "google/bigtable/v2/bigtable.proto",
  "google/cloud/speech/v1/cloud_speech.proto",
  "google/firestore/v1/firestore.proto",
  "google/iam/v1/iam_policy.proto",
  "google/longrunning/operations.proto",
  "google/pubsub/v1/pubsub.proto",
  "google/pubsub/v1/schema.proto",
];

describe.skipIf(corpus === undefined)("OpenAPI of the corpus's googleapis root", () => {
  it("every annotated file gets a document, and every document is valid OpenAPI 3.1", async () => {
    const root = join(corpus ?? "", "googleapis");
    const out = join(scratch, "googleapis.binpb");
    execFileSync(tools.buf, ["build", ".", "--as-file-descriptor-set", "-o", out], { cwd: root, stdio: "pipe" });
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(out));
    const own = set.file.map((file) => file.name).filter((name) => !name.startsWith("google/protobuf/"));
    const response = decodeResponse(runPlugin(createOpenApiPlugin(), encodeRequest(createRequest(set, own))));
    expect(response.error).toBe("");
    expect(response.file.map((file) => file.name).sort()).toEqual(annotatedFiles.map((name) => name.replace(/\.proto$/, ".openapi.json")));
    let operations = 0;
    let services = 0;
    const invalid: string[] = [];
    for (const file of response.file) {
      const document = JSON.parse(file.content) as { paths: Record<string, Record<string, unknown>>; tags: unknown[] };
      const verdict = await validateOpenApi(document);
      if (!verdict.valid || verdict.version !== "3.1") {
        invalid.push(`${file.name}: ${verdict.errors}`);
      }
      services += document.tags.length;
      operations += Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    }
    expect(invalid).toEqual([]);
    console.log(`OpenAPI 3.1 validated for ${response.file.length} of ${own.length} googleapis files: ${services} services, ${operations} operations`);
    // As many as the runtime reads (test/rest/googleapis-corpus.test.ts), less Firestore's two bidi streams.
    expect(services).toBeGreaterThanOrEqual(8);
    expect(operations).toBeGreaterThanOrEqual(60);
  });
});
