import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms, programTimeoutMs } from "../support/program-timeouts.js";

allowTimeForPrograms();

/**
 * googleapis publishes rules that shadow each other: BigQuery Storage's
 * SplitReadStream has the GET route of ReadRows under another variable name.
 * Generation must still succeed for such files (users cannot edit them), and
 * say which rule is not served.
 */
const googleProtos = dirname(createRequire(import.meta.url).resolve("google-proto-files/package.json"));
const scratch = mkdtempSync(join(tmpdir(), "stubwright-shadowed-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("buf generate on google/cloud/bigquery/storage/v1 (from google-proto-files)", () => {
  it("generates stubs and the OpenAPI document, warning that SplitReadStream's rule is not served", () => {
    const template = {
      version: "v2",
      plugins: [
        { local: tools.protocGenStubwright, out: scratch, opt: ["target=ts"] },
        { local: tools.protocGenStubwright.replace(/protoc-gen-stubwright$/, "protoc-gen-stubwright-openapi"), out: scratch },
      ],
    };
    const result = spawnSync(
      tools.buf,
      ["generate", googleProtos, "--template", JSON.stringify(template), "--path", join(googleProtos, "google/cloud/bigquery/storage/v1")],
      {
        timeout: programTimeoutMs,
        encoding: "utf8",
      },
    );
    expect(result.stderr).toContain(
      'google/cloud/bigquery/storage/v1/storage.proto: rpc google.cloud.bigquery.storage.v1.BigQueryRead.SplitReadStream: google.api.http rule GET "/v1/{name=projects/*/locations/*/sessions/*/streams/*}" is not served: google.cloud.bigquery.storage.v1.BigQueryRead.ReadRows\'s GET "/v1/{read_stream=projects/*/locations/*/sessions/*/streams/*}" matches the same requests and comes first',
    );
    expect(result.status).toBe(0);
    expect(existsSync(join(scratch, "google/cloud/bigquery/storage/v1/storage_grpc.ts"))).toBe(true);
    expect(existsSync(join(scratch, "google/cloud/bigquery/storage/v1/storage.openapi.json"))).toBe(true);
  });
});
