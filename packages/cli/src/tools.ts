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
}

/** Resolves the tools from the installed packages. */
export function resolveTools(): Tools {
  return {
    buf: require.resolve("@bufbuild/buf/bin/buf"),
    protocGenEs: require.resolve("@bufbuild/protoc-gen-es/bin/protoc-gen-es"),
    protocGenStubwright: require.resolve("@stubwright/protoc-gen-stubwright/package.json").replace(/package\.json$/, "bin/protoc-gen-stubwright"),
  };
}
