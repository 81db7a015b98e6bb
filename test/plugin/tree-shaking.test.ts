import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/generate-code.mjs";

/**
 * An application that uses one client of a file with many services must not
 * ship the others: the generated definitions and protoc-gen-es's service
 * descriptors are pure, so a bundler drops every one that nothing imports.
 * words.proto declares ten services.
 */

const services = ["class", "Object", "Promise", "Client", "Error", "Buffer", "Symbol", "Metadata", "UnaryMethod", "Collide"];
const wanted = "Collide";

/** Bundles `code` as an entry point beside the generated file; packages stay imports. */
async function bundle(dir: string, code: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: dir, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles.map((file) => file.text).join("");
}

/** The services of words.proto whose descriptors (by index in the file) or generated names occur in `text`. */
function servicesIn(text: string): string[] {
  return services.filter(
    (service, index) =>
      text.includes(`serviceDesc(file_naming_words_v1_words, ${index})`) || new RegExp(`\\b(${service}Definition|create${service}Client)\\b`, "i").test(text),
  );
}

describe.each([
  { target: "ts", dir: join(repoRoot, "test/golden/ts/naming/words/v1") },
  { target: "js", dir: join(repoRoot, "test/golden/js-dts/naming/words/v1") },
])("a bundle of one client out of words_grpc ($target)", ({ dir }) => {
  it("contains that service only", async () => {
    const one = await bundle(dir, `import { create${wanted}Client } from "./words_grpc.js";\nexport const client = create${wanted}Client("127.0.0.1:1");\n`);
    expect(servicesIn(one)).toEqual([wanted]);
    expect(one).toContain(`serviceDesc(file_naming_words_v1_words, ${services.indexOf(wanted)})`);
    // The same bundle of the whole module keeps all ten, so the check above can see them.
    const all = await bundle(dir, `export * from "./words_grpc.js";\n`);
    expect(servicesIn(all)).toEqual(services);
  });
});
