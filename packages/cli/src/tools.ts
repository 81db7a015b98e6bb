import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Absolute paths of the executables the CLI drives. They come from the CLI's
 * own dependencies, so `stubwright generate` works without anything on PATH.
 */
export interface Tools {
  readonly buf: string;
  readonly protocGenEs: string;
  readonly protocGenStubwright: string;
  readonly protocGenStubwrightDocs: string;
}

/** Resolves the tools from the installed packages. */
export function resolveTools(): Tools {
  const pluginDir = require.resolve("@stubwright/protoc-gen-stubwright/package.json").replace(/package\.json$/, "");
  return {
    buf: require.resolve("@bufbuild/buf/bin/buf"),
    protocGenEs: require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es"),
    protocGenStubwright: `${pluginDir}bin/protoc-gen-stubwright`,
    protocGenStubwrightDocs: `${pluginDir}bin/protoc-gen-stubwright-docs`,
  };
}
