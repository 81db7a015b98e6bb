import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { defaultSettings } from "./buf-config.js";
import { CliError } from "./cli-error.js";
import { checkRoot } from "./proto-paths.js";

/** Where buf finds a project's .proto files and rules: its buf.yaml, or one directory. */
export interface BufProject {
  /** The project's ./buf.yaml, parsed; undefined when it has none. */
  readonly bufYaml: Readonly<Record<string, unknown>> | undefined;
  /** Without a buf.yaml: the directory of the .proto files, the one module of the config built for buf. */
  readonly root: string;
}

/** The rule sections of a buf.yaml that lint and breaking choose. */
type RuleSection = "lint" | "breaking";

/**
 * buf's own defaults, which `stubwright init` also writes: STANDARD lint
 * rules (v1 configs call the same set DEFAULT) and FILE breaking rules.
 */
const defaultRules: Readonly<Record<RuleSection, (version: unknown) => string>> = {
  lint: (version) => (version === "v2" ? "STANDARD" : "DEFAULT"),
  breaking: () => "FILE",
};

/**
 * Reads how buf should see the project in `cwd`: its buf.yaml if it has one
 * (then `--root` is an error, since the buf.yaml's modules say where the files
 * are), else the `--root` directory, `proto` by default, as `generate` does.
 */
export function readBufProject(cwd: string, root: string | undefined): BufProject {
  const path = join(cwd, "buf.yaml");
  if (!existsSync(path)) {
    const dir = root ?? defaultSettings.root;
    checkRoot(resolve(cwd, dir), dir);
    return { bufYaml: undefined, root: dir };
  }
  if (root !== undefined) {
    throw new CliError("--root cannot be combined with buf.yaml, whose modules say where the .proto files are: change it there");
  }
  return { bufYaml: parseBufYaml(readFileSync(path, "utf8")), root: "." };
}

function parseBufYaml(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new CliError(`buf.yaml is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("buf.yaml does not hold a YAML mapping; fix it, or delete it to use proto/ with buf's default rules");
  }
  return value as Record<string, unknown>;
}

/**
 * The buf config for a lint or breaking run, as JSON for `--config`, or
 * undefined when buf should read ./buf.yaml as it is. The user's file is
 * never written: with `use` given (`breaking --level`), or when buf.yaml has
 * no such section, we pass buf.yaml's content with that section's `use`
 * replaced, keeping its other settings (`except`, `ignore`...). Without a
 * buf.yaml, the config has one module, the root directory.
 */
export function bufConfigArg(project: BufProject, section: RuleSection, use?: string): string | undefined {
  const { bufYaml } = project;
  if (bufYaml === undefined) {
    return JSON.stringify({ version: "v2", modules: [{ path: project.root }], [section]: { use: [use ?? defaultRules[section]("v2")] } });
  }
  const current = bufYaml[section];
  if (use === undefined && current !== undefined) {
    return undefined;
  }
  const kept = typeof current === "object" && current !== null ? current : {};
  return JSON.stringify({ ...bufYaml, [section]: { ...kept, use: [use ?? defaultRules[section](bufYaml.version)] } });
}

/** The rules a run uses, as a summary names them: `FILE rules` or `buf.yaml's breaking rules`. */
export function describeRules(project: BufProject, section: RuleSection, use?: string): string {
  if (use !== undefined) {
    return `${use} rules`;
  }
  if (project.bufYaml?.[section] !== undefined) {
    return `buf.yaml's ${section} rules`;
  }
  return `${defaultRules[section](project.bufYaml === undefined ? "v2" : project.bufYaml.version)} rules`;
}
