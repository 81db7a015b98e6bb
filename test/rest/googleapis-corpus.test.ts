import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileRegistry, fromBinary, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { Code, createServer } from "@stubwright/runtime";
import { createRestHandler } from "@stubwright/runtime/rest";
import { afterAll, describe, expect, it } from "vitest";
import { readRestBindings } from "../../packages/runtime/src/rest/http-bindings.js";
import { locateCorpus } from "../apidocs/test-inputs.js";
import { tools } from "../support/generate-code.mjs";
import { allowTimeForPrograms } from "../support/program-timeouts.js";

allowTimeForPrograms();

/** The googleapis packages of the corpus whose services carry google.api.http rules. */
const annotated = ["google/pubsub/v1", "google/longrunning", "google/firestore/v1", "google/iam/v1", "google/cloud/speech/v1", "google/bigtable/v2"];

const corpus = locateCorpus();
const scratch = mkdtempSync(join(tmpdir(), "stubwright-rest-corpus-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every service of the annotated packages, from a descriptor set buf builds from the corpus. */
function annotatedServices(): DescService[] {
  const out = join(scratch, "googleapis.binpb");
  const paths = annotated.flatMap((path) => ["--path", path]);
  // Run inside the module: buf takes --path relative to the working directory.
  execFileSync(tools.buf, ["build", ".", ...paths, "--as-file-descriptor-set", "-o", out], { cwd: join(corpus ?? "", "googleapis"), stdio: "pipe" });
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  const services: DescService[] = [];
  for (const file of registry.files) {
    if (annotated.some((path) => file.name.startsWith(`${path}/`))) {
      services.push(...file.services);
    }
  }
  return services;
}

describe.skipIf(corpus === undefined)("the annotated googleapis services of the corpus", () => {
  const services = corpus === undefined ? [] : annotatedServices();

  it("all read: every rule and additional binding parses and names real fields", () => {
    const methods = services.flatMap((service) => service.methods);
    const bindings = methods.flatMap((method) => readRestBindings(method));
    // Enough rules that a grammar or field-resolution gap would have shown.
    expect(services.length).toBeGreaterThanOrEqual(8);
    expect(bindings.length).toBeGreaterThanOrEqual(60);
    expect(bindings.some((binding) => binding.template.verb !== undefined)).toBe(true);
    expect(bindings.some((binding) => binding.template.segments.some((segment) => segment.kind === "deep-wildcard"))).toBe(true);
  });

  it("are served together by one REST listener, which routes their requests", async () => {
    const server = createServer({ onError: () => {} });
    for (const service of services) {
      server.add(service, {});
    }
    const http = createHttpServer(createRestHandler(server));
    http.listen(0, "127.0.0.1");
    await once(http, "listening");
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      // Routed to the (unimplemented) handlers: 501 with the method's name, not 404.
      const publish = await fetch(`${base}/v1/projects/p/topics/t:publish`, { method: "POST", body: JSON.stringify({ messages: [{ data: "aGk=" }] }) });
      expect(publish.status).toBe(501);
      expect(await publish.json()).toMatchObject({ code: Code.UNIMPLEMENTED, message: expect.stringContaining("google.pubsub.v1.Publisher/Publish") });
      const operation = await fetch(`${base}/v1/operations/a/b/c`);
      expect(await operation.json()).toMatchObject({ message: expect.stringContaining("google.longrunning.Operations/GetOperation") });
      const wrongMethod = await fetch(`${base}/v1/operations/a`, { method: "PATCH" });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get("allow")).toBe("DELETE, GET, HEAD");
      // Firestore's ListDocuments has segments after its "**".
      const documents = await fetch(`${base}/v1/projects/p/databases/d/documents/users/u1/posts`);
      expect(await documents.json()).toMatchObject({ message: expect.stringContaining("google.firestore.v1.Firestore/ListDocuments") });
    } finally {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await server.forceShutdown();
    }
  });
});
