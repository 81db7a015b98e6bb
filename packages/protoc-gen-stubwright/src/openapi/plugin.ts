import { create, createFileRegistry, type DescFile } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_Feature, CodeGeneratorResponseSchema, FileDescriptorSetSchema, type CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { createCommentIndex } from "../docs/comments.js";
import { version } from "../version.js";
import { buildOpenApiDocument } from "./build-document.js";

/** The editions this plugin reads; it only reads descriptors, so every edition protobuf-es knows. */
const minimumEdition = 998; // EDITION_PROTO2
const maximumEdition = 1001; // EDITION_2024

/**
 * Creates protoc-gen-stubwright-openapi: for each file to generate whose
 * services have `google.api.http` rules, an OpenAPI 3.1 document of those
 * routes at `<file>.openapi.json` (e.g. `bookstore/v1/bookstore.openapi.json`).
 * It takes no options. A rule that cannot be served fails the run as it
 * fails protoc-gen-stubwright, naming the file, service, method and rule; a
 * rule an earlier one shadows is left out and reported by `warn` (by
 * default on stderr, which protoc and buf show).
 */
export function createOpenApiPlugin(warn: (message: string) => void = writeWarning): Plugin {
  return {
    name: "protoc-gen-stubwright-openapi",
    version: `v${version}`,
    run(request: CodeGeneratorRequest) {
      if (request.parameter.trim() !== "") {
        throw new Error(`unknown option "${request.parameter}"; protoc-gen-stubwright-openapi takes no options`);
      }
      const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
      const comments = createCommentIndex();
      const files = request.fileToGenerate.flatMap((name): { name: string; content: string }[] => {
        const file: DescFile | undefined = registry.getFile(name);
        if (file === undefined) {
          throw new Error(`file_to_generate names ${name}, which the request's proto_file lacks`);
        }
        const document = buildOpenApiDocument(file, comments, warn);
        return document === undefined ? [] : [{ name: `${file.name}.openapi.json`, content: `${JSON.stringify(document, null, 2)}\n` }];
      });
      return create(CodeGeneratorResponseSchema, {
        supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
        minimumEdition,
        maximumEdition,
        file: files,
      });
    },
  };
}

function writeWarning(message: string): void {
  process.stderr.write(`protoc-gen-stubwright-openapi: warning: ${message}\n`);
}
