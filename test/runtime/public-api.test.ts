import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as root from "@stubwright/runtime";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";

// The runtime's public values, entry by entry. Adding, removing or moving an
// export must change this file: the API is a product surface, and each
// change to it is one for users (and for CHANGELOG.md).

/** The most values the package root may export: what every user needs, no more. */
const rootValueLimit = 20;

const rootValues = ["Code", "RpcError", "closeClient", "createClient", "createMetadata", "createServer", "mergeMetadata", "runDetached"];

/** Every subpath of package.json "exports" but the root, with the values it exports. */
const subpathValues: Record<string, readonly string[]> = {
  "./codegenv1": ["createClient", "defineService"],
  "./interceptors": [
    "bearerAuthInterceptor",
    "bearerTokenInterceptor",
    "chainInterceptors",
    "codeOf",
    "createContextKey",
    "createContextValues",
    "loggingInterceptor",
    "observeOutcome",
    "resolveToken",
  ],
  "./health": [
    "HealthCheckRequestSchema",
    "HealthCheckResponseSchema",
    "HealthDefinition",
    "HealthListRequestSchema",
    "HealthListResponseSchema",
    "ServingStatus",
    "ServingStatusSchema",
    "addHealthService",
    "createHealthClient",
    "createHealthService",
    "overallHealth",
  ],
  "./reflection": ["addReflectionService", "createDescriptorIndex", "withDependencies"],
  "./credentials": ["bearerTokenCredentials", "createChannelTls", "createServerTls", "keepaliveOptions"],
  "./channel": ["addressListTarget", "compressionOptions", "createServiceConfig", "getGrpcClient", "uncompressed"],
  "./status": [
    "codeFromHttpStatus",
    "codeFromName",
    "codeName",
    "codeToHttpStatus",
    "decodeStatusDetails",
    "encodeStatusDetails",
    "isCode",
    "isRetryable",
    "isServiceError",
    "retryDelayMs",
    "rpcErrorFromServiceError",
    "rpcErrorFromStatus",
    "standardDetailsRegistry",
    "statusDetailsKey",
  ],
  "./deadline": ["currentCall", "maxWireTimeoutMs", "resolveDeadline", "timeRemainingMs", "wireDeadline"],
  "./codec": ["compiledCodec", "createDeserializer", "createSerializer", "protobufEsCodec"],
  "./error-details": [
    "BadRequestSchema",
    "BadRequest_FieldViolationSchema",
    "CodeSchema",
    "DebugInfoSchema",
    "ErrorInfoSchema",
    "HelpSchema",
    "Help_LinkSchema",
    "LocalizedMessageSchema",
    "PreconditionFailureSchema",
    "PreconditionFailure_ViolationSchema",
    "QuotaFailureSchema",
    "QuotaFailure_ViolationSchema",
    "RequestInfoSchema",
    "ResourceInfoSchema",
    "RetryInfoSchema",
    "StatusSchema",
    "file_google_rpc_code",
    "file_google_rpc_error_details",
    "file_google_rpc_status",
  ],
  "./opentelemetry": ["clientTracingInterceptor", "metadataGetter", "metadataSetter", "serverTracingInterceptor"],
  "./testing": ["createFakeClient", "createInMemoryTransport"],
  "./rest": ["HttpRuleError", "PathTemplateError", "createRestGateway", "createRestHandler"],
  "./web-server": ["createWebHandler"],
  "./web": ["createConnectTransport", "createGrpcWebTransport"],
  "./http-rules": ["HttpRuleError", "PathTemplateError", "isFieldBound", "readRestBindings", "splitRouteConflicts", "takesText"],
};

const runtimeDir = join(repoRoot, "packages/runtime");
interface Conditions {
  readonly types: string;
  readonly default: string;
}
const manifest = JSON.parse(readFileSync(join(runtimeDir, "package.json"), "utf8")) as {
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, { readonly import: Conditions; readonly require: Conditions } | string>;
  readonly typesVersions: { readonly "*": Record<string, readonly string[]> };
};
/** The exports that are code (all but ./package.json). */
const codeExports = Object.entries(manifest.exports).filter(
  (entry): entry is [string, { browser?: Conditions; import: Conditions; require: Conditions }] => typeof entry[1] !== "string",
);

/** The entries with a browser build: its own code, the Node build's declarations. */
const browserEntries = [".", "./codegenv1"];

/** The CommonJS build (dist/cjs/, built by `npm pack`) mirrors the ES module build (dist/). */
function cjsPath(esmPath: string): string {
  return esmPath.replace(/^\.\/dist\//, "./dist/cjs/");
}

describe("the package root", () => {
  it(`exports at most ${rootValueLimit} values, exactly these`, () => {
    const values = Object.keys(root).sort();
    expect(values.length).toBeLessThanOrEqual(rootValueLimit);
    expect(values).toEqual(rootValues);
  });

  it("is what main and types name, for require and TypeScript's node10 resolution", () => {
    expect(manifest.exports["."]).toMatchObject({ require: { types: manifest.types, default: manifest.main } });
  });
});

describe("subpath exports", () => {
  it("are all listed here, each with types and a default for import and for require", () => {
    expect(Object.keys(manifest.exports).sort()).toEqual([".", "./package.json", ...Object.keys(subpathValues)].sort());
    expect(manifest.exports["./package.json"]).toBe("./package.json");
    for (const [subpath, entry] of codeExports) {
      expect(Object.keys(entry), subpath).toEqual(browserEntries.includes(subpath) ? ["browser", "import", "require"] : ["import", "require"]);
      expect(Object.keys(entry.import), subpath).toEqual(["types", "default"]);
      expect(entry.require, subpath).toEqual({ types: cjsPath(entry.import.types), default: cjsPath(entry.import.default) });
      expect(existsSync(join(runtimeDir, entry.import.types)), entry.import.types).toBe(true);
      expect(existsSync(join(runtimeDir, entry.import.default)), entry.import.default).toBe(true);
    }
  });

  it("resolve under TypeScript's node10 resolution through typesVersions, to the CommonJS types", () => {
    const expected = Object.fromEntries(
      codeExports.filter(([subpath]) => subpath !== ".").map(([subpath, entry]) => [subpath.slice(2), [entry.require.types.slice(2)]]),
    );
    expect(manifest.typesVersions).toEqual({ "*": expected });
  });

  it.each(Object.entries(subpathValues))("%s exports exactly its values", async (subpath, values) => {
    const entry = (await import(`@stubwright/runtime${subpath.slice(1)}`)) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual([...values].sort());
  });

  it.each(browserEntries)("%s has a browser build exporting the Node build's values that run in a browser", async (subpath) => {
    const entry = codeExports.find(([name]) => name === subpath)?.[1];
    expect(entry?.browser?.types).toBe(entry?.import.types);
    const browser = (await import(join(runtimeDir, entry?.browser?.default ?? "missing"))) as Record<string, unknown>;
    const node = (await import(`@stubwright/runtime${subpath.slice(1)}`)) as Record<string, unknown>;
    const nodeOnly = subpath === "." ? ["createServer"] : [];
    expect(Object.keys(browser).sort()).toEqual(
      Object.keys(node)
        .filter((name) => !nodeOnly.includes(name))
        .sort(),
    );
  });

  it("share one copy of each value the root also exports", async () => {
    const codegen = (await import("@stubwright/runtime/codegenv1")) as Record<string, unknown>;
    expect(codegen.createClient).toBe(root.createClient);
  });
});
