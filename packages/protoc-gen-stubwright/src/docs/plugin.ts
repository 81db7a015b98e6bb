import { create, createFileRegistry, type DescFile } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_Feature, CodeGeneratorResponseSchema, FileDescriptorSetSchema, type CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { version } from "../version.js";
import { buildPackageDocs } from "./build-package-docs.js";
import { createCommentIndex } from "./comments.js";
import { createHttpRouteReader } from "./http-rules.js";
import { createLinker } from "./links.js";
import { parseDocsOptions } from "./options.js";
import { renderHtml } from "./render-html.js";
import { renderMarkdown } from "./render-markdown.js";

/** The editions this plugin reads; it only reads descriptors, so every edition protobuf-es knows. */
const minimumEdition = 998; // EDITION_PROTO2
const maximumEdition = 1001; // EDITION_2024

/**
 * Creates protoc-gen-stubwright-docs: API reference pages, one per proto
 * package of the files to generate, at `<package as path>/index.md` and
 * `.../index.html` (`no-package/index.*` for files without a package).
 * Each call returns a fresh instance. `run` throws on a bad option or an
 * unreadable `google.api.http` option; `respond` (run-plugin.ts) turns that
 * into the response's error.
 */
export function createDocsPlugin(): Plugin {
  return {
    name: "protoc-gen-stubwright-docs",
    version: `v${version}`,
    run(request: CodeGeneratorRequest) {
      const options = parseDocsOptions(request.parameter);
      const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
      const files = request.fileToGenerate.map((name): DescFile => {
        const file = registry.getFile(name);
        if (file === undefined) {
          throw new Error(`file_to_generate names ${name}, which the request's proto_file lacks`);
        }
        return file;
      });
      const pages = buildPackageDocs(files, {
        linker: createLinker(files),
        comments: createCommentIndex(),
        httpRoutes: createHttpRouteReader(registry),
      });
      const outputs = pages.flatMap((page) =>
        options.formats.map((format) =>
          format === "markdown" ? { name: `${page.page}.md`, content: renderMarkdown(page) } : { name: `${page.page}.html`, content: renderHtml(page) },
        ),
      );
      return create(CodeGeneratorResponseSchema, {
        supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
        minimumEdition,
        maximumEdition,
        file: outputs,
      });
    },
  };
}
