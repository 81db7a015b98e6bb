import { create, createFileRegistry, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { createEcmaScriptPlugin, type Plugin } from "@bufbuild/protoplugin";
import { generate } from "./generate.js";
import { checkHttpRules } from "./http-rule-check.js";
import { parseStubwrightOptions } from "./options.js";
import { version } from "./version.js";

/**
 * Creates the protoc-gen-stubwright plugin. Each call returns a fresh
 * instance, so tests can run it in-process without shared state. It also
 * checks the files' `google.api.http` rules (see
 * {@link checkHttpRules}): a rule that cannot be served throws, and each
 * rule that is ignored is reported by `warn` (by default on stderr, which
 * protoc and buf show).
 */
export function createStubwrightPlugin(warn: (message: string) => void = writeWarning): Plugin {
  const plugin = createEcmaScriptPlugin({
    name: "protoc-gen-stubwright",
    version: `v${version}`,
    parseOptions: parseStubwrightOptions,
    generateTs: generate,
    generateJs: generate,
    generateDts: generate,
  });
  return {
    ...plugin,
    run(request: CodeGeneratorRequest) {
      // Generate first: a request protoplugin rejects (a bad option, broken
      // descriptors) is reported in its words before the rules are read.
      const response = plugin.run(request);
      for (const warning of checkHttpRules(filesToGenerate(request))) {
        warn(warning);
      }
      return response;
    },
  };
}

function writeWarning(message: string): void {
  process.stderr.write(`protoc-gen-stubwright: warning: ${message}\n`);
}

function filesToGenerate(request: CodeGeneratorRequest): DescFile[] {
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
  return request.fileToGenerate.flatMap((name) => registry.getFile(name) ?? []);
}
