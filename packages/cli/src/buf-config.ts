/** Where the .proto files are, where code goes and how it is generated: shared by `init` and `generate`. */
export interface GenerateSettings {
  /** Directory of the .proto files: buf's input and the import root. */
  readonly root: string;
  /** Output directory of both plugins. */
  readonly out: string;
  /** protoplugin targets, e.g. `ts` or `js+dts`. */
  readonly target: string;
  /** Extension added to relative imports: `js`, `ts` or `none`. */
  readonly importExtension: string;
}

/**
 * The project layout `stubwright init` writes, which is also what `stubwright
 * generate` uses without a buf.gen.yaml: proto/ into src/gen/, TypeScript with
 * `.js` import extensions, as Node's module resolution wants them.
 */
export const defaultSettings: GenerateSettings = {
  root: "proto",
  out: "src/gen",
  target: "ts",
  importExtension: "js",
};

/** The plugin options both plugins receive. */
export function pluginOptions(settings: GenerateSettings): string[] {
  return [`target=${settings.target}`, `import_extension=${settings.importExtension}`];
}

/** The `buf.yaml` written by `stubwright init`. */
export function bufYaml(settings: GenerateSettings): string {
  return `# Written by \`stubwright init\`: the buf module of this project, with its .proto files in ${settings.root}/.
version: v2
modules:
  - path: ${settings.root}
lint:
  use:
    - STANDARD
breaking:
  use:
    - FILE
`;
}

/**
 * The `buf.gen.yaml` written by `stubwright init`. `local:` finds the plugins
 * in node_modules/.bin; `strategy: all` starts each plugin once for the whole
 * module instead of once per directory; `clean` removes stale output.
 */
export function bufGenYaml(settings: GenerateSettings): string {
  const opts = pluginOptions(settings)
    .map((opt) => `      - ${opt}`)
    .join("\n");
  const plugin = (name: string): string => `  - local: ${name}\n    out: ${settings.out}\n    opt:\n${opts}\n    strategy: all\n`;
  return `# Written by \`stubwright init\`. \`npm run generate\` (stubwright generate) runs buf with it.
version: v2
inputs:
  - directory: ${settings.root}
clean: true
plugins:
${plugin("protoc-gen-es")}${plugin("protoc-gen-stubwright")}`;
}
