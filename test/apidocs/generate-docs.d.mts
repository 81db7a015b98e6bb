/** The docs plugin's executable, as the package's bin installs it. */
export declare const docsPlugin: string;
/** Runs `buf generate` on `input` with protoc-gen-stubwright-docs into `out` (`strategy: all`); `paths` limits the files (`--path`). */
export declare function bufDocs(input: string, out: string, options?: readonly string[], paths?: readonly string[]): void;
/** Runs protoc on every .proto under `root` with protoc-gen-stubwright-docs into `out`. */
export declare function protocDocs(protoc: string, include: string | undefined, root: string, out: string, options?: readonly string[]): void;
/** The committed example output (`npm run docs:api-examples`), relative to the repo root. */
export declare const examplesDir: string;
/** Writes the example reference (the demo and one googleapis package, and a README) into `out`. */
export declare function generateExamples(out: string): void;
