import { createRequire } from "node:module";

interface CliManifest {
  readonly version: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

const manifest = createRequire(import.meta.url)("../package.json") as CliManifest;

/** The CLI's own version. */
export const cliVersion: string = manifest.version;

/**
 * What `@stubwright/runtime` declares as peers: the ranges a project needs
 * beside it. A test keeps these equal to the runtime's package.json.
 */
const runtimePeerRanges: Readonly<Record<string, string>> = {
  "@bufbuild/protobuf": "^2.13.0",
  "@grpc/grpc-js": "^1.13.0",
};

/** TypeScript and Node's types as the CLI was built with; a test keeps them equal to the repository's. */
const toolRanges = {
  typescript: "^5.9.3",
  "@types/node": "^20.19.43",
};

/**
 * The dependencies of a project `stubwright init` sets up. The Stubwright
 * packages are released together, so the runtime's range is the CLI's own
 * version; buf and the plugins get the ranges the CLI itself depends on.
 */
export function projectDependencies(): { dependencies: Record<string, string>; devDependencies: Record<string, string> } {
  const own = (pattern: RegExp): Record<string, string> => {
    const entry = Object.entries(manifest.dependencies).find(([name]) => pattern.test(name));
    if (entry === undefined) {
      throw new Error(`the stubwright package has no dependency matching ${String(pattern)}`);
    }
    return { [entry[0]]: entry[1] };
  };
  return {
    dependencies: {
      "@stubwright/runtime": `^${cliVersion}`,
      ...runtimePeerRanges,
    },
    devDependencies: {
      stubwright: `^${cliVersion}`,
      // The plugin's package, whatever its scope: its bin is protoc-gen-stubwright.
      ...own(/(^|\/)protoc-gen-stubwright$/),
      ...own(/^@bufbuild\/protoc-gen-es$/),
      ...own(/^@bufbuild\/buf$/),
      ...toolRanges,
    },
  };
}
