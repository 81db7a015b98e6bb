/** Settings of the generated code, shared by `init` and `generate`. */
export interface GenerateSettings {
  /** Directory of the .proto files. */
  readonly protos: string;
  /** Output directory. */
  readonly out: string;
  /** protoplugin targets, e.g. `ts` or `js+dts`. */
  readonly target: string;
  /** Extension added to relative imports: `js`, `ts` or `none`. */
  readonly importExtension: string;
}

/** The built-in defaults: protos/ into gen/, TypeScript, `.js` import extensions for Node ESM. */
export const defaultSettings: GenerateSettings = {
  protos: "protos",
  out: "gen",
  target: "ts",
  importExtension: "js",
};

/** The plugin options both plugins receive. */
export function pluginOptions(settings: GenerateSettings): string[] {
  return [`target=${settings.target}`, `import_extension=${settings.importExtension}`];
}

/** The `buf.yaml` written by `stubwright init`. */
export function bufYaml(settings: GenerateSettings): string {
  return `# Written by \`stubwright init\`: the buf module of this project, with its .proto files in ${settings.protos}/.
version: v2
modules:
  - path: ${settings.protos}
lint:
  use:
    - STANDARD
breaking:
  use:
    - FILE
`;
}

/**
 * The \`buf.gen.yaml\` written by \`stubwright init\`. The plugins are the ones
 * installed in node_modules/.bin; \`strategy: all\` starts each plugin once
 * for the whole module instead of once per directory.
 */
export function bufGenYaml(settings: GenerateSettings): string {
  const opts = pluginOptions(settings)
    .map((opt) => `      - ${opt}`)
    .join("\n");
  return `# Written by \`stubwright init\`. Run \`npx stubwright generate\` (or \`npx buf generate\`).
version: v2
inputs:
  - directory: ${settings.protos}
plugins:
  - local: protoc-gen-es
    out: ${settings.out}
    opt:
${opts}
    strategy: all
  - local: protoc-gen-stubwright
    out: ${settings.out}
    opt:
${opts}
    strategy: all
`;
}
