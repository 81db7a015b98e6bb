import { createEcmaScriptPlugin, type Plugin } from "@bufbuild/protoplugin";
import { generate } from "./generate.js";
import { parseStubwrightOptions } from "./options.js";
import { version } from "./version.js";

/**
 * Creates the protoc-gen-stubwright plugin. Each call returns a fresh
 * instance, so tests can run it in-process without shared state.
 */
export function createStubwrightPlugin(): Plugin {
  return createEcmaScriptPlugin({
    name: "protoc-gen-stubwright",
    version: `v${version}`,
    parseOptions: parseStubwrightOptions,
    generateTs: generate,
    generateJs: generate,
    generateDts: generate,
  });
}
