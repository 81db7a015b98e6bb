// Types of generate-code.mjs, for the TypeScript tests that share it with `npm run goldens`.

/** The repository root. */
export declare const repoRoot: string;

/** Absolute paths of buf and both plugins, as installed in the workspace. */
export declare const tools: {
  readonly buf: string;
  readonly protocGenEs: string;
  readonly protocGenStubwright: string;
};

/** The golden variants: a directory name and the options both plugins get. */
export declare const goldenVariants: readonly { readonly name: string; readonly options: readonly string[] }[];

/** Runs `buf generate` on `input` (relative to the repo root) with both plugins into `out`. */
export declare function bufGenerate(input: string, out: string, options: readonly string[]): void;

/** Generates every golden variant of every golden input under `outRoot/<variant>`. */
export declare function generateGoldens(outRoot: string): void;
