import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { parse } from "yaml";
import { defaultSettings, type GenerateSettings, pluginOptions } from "./buf-config.js";
import { CliError } from "./cli-error.js";
import { checkPath, checkRoot } from "./proto-paths.js";
import { type RunSummary, runAndSummarize } from "./run-summary.js";
import { resolveTools, type Tools } from "./tools.js";

/** Options of `stubwright generate`, as commander parses them. */
export interface GenerateOptions {
  /** A buf.gen.yaml to use instead of ./buf.gen.yaml. */
  readonly template?: string | undefined;
  /** False with `--no-config`: ignore ./buf.gen.yaml and use the flags. */
  readonly config: boolean;
  readonly root?: string | undefined;
  readonly out?: string | undefined;
  readonly target?: string | undefined;
  readonly importExtension?: string | undefined;
  /** Options for protoc-gen-stubwright, `key=value` each. */
  readonly opt: readonly string[];
  /** Options for protoc-gen-es, `key=value` each. */
  readonly esOpt: readonly string[];
  /** `--clean` true, `--no-clean` false, neither undefined. */
  readonly clean?: boolean | undefined;
}

/** Flags that describe the plugins, which a buf.gen.yaml describes too. */
const settingFlags = [
  { flag: "--root", isSet: (options: GenerateOptions) => options.root !== undefined },
  { flag: "--out", isSet: (options: GenerateOptions) => options.out !== undefined },
  { flag: "--target", isSet: (options: GenerateOptions) => options.target !== undefined },
  { flag: "--import-extension", isSet: (options: GenerateOptions) => options.importExtension !== undefined },
  { flag: "--opt", isSet: (options: GenerateOptions) => options.opt.length > 0 },
  { flag: "--es-opt", isSet: (options: GenerateOptions) => options.esOpt.length > 0 },
];

/**
 * `stubwright generate [paths...]`. The rule: a buf.gen.yaml (./buf.gen.yaml,
 * or `--template`) is used as it is, and flags that would change it are an
 * error naming them; without one (or with `--no-config`) the flags describe
 * everything, with init's layout as defaults. Paths limit generation to those
 * files or directories (buf's `--path`).
 */
export async function generateCommand(paths: readonly string[], options: GenerateOptions, cwd: string): Promise<RunSummary> {
  if (options.template !== undefined && !options.config) {
    throw new CliError("--template and --no-config exclude each other: --template names the buf.gen.yaml to use");
  }
  for (const path of paths) {
    checkPath(cwd, path);
  }
  const template = options.template ?? (options.config && existsSync(join(cwd, "buf.gen.yaml")) ? "buf.gen.yaml" : undefined);
  const tools = resolveTools();
  if (template !== undefined) {
    return generateWithTemplate(tools, template, paths, options, cwd);
  }
  return generateFromFlags(tools, paths, options, cwd);
}

async function generateWithTemplate(tools: Tools, template: string, paths: readonly string[], options: GenerateOptions, cwd: string): Promise<RunSummary> {
  if (!existsSync(resolve(cwd, template))) {
    throw new CliError(`--template ${template} does not exist`);
  }
  const conflicts = settingFlags.filter((setting) => setting.isSet(options)).map((setting) => setting.flag);
  if (conflicts.length > 0) {
    throw new CliError(
      `${conflicts.join(", ")} cannot be combined with ${template}, which sets the plugins, their options and output: ` +
        "change it there, or pass --no-config to generate from flags alone",
    );
  }
  // Generating some files must not delete the output of the others, which
  // buf.gen.yaml's `clean: true` would do: only an explicit --clean cleans then.
  const inputs = templateInputDirs(resolve(cwd, template)).map((dir) => resolve(cwd, dir));
  const subset = paths.filter((path) => !inputs.includes(resolve(cwd, path)));
  const clean = options.clean ?? (subset.length > 0 ? false : undefined);
  const args = ["generate", "--template", template, ...pathArgs(subset), ...cleanArgs(clean)];
  return runAndSummarize(tools, args, cwd, { watched: cwd, activity: "generating", command: "buf generate" });
}

async function generateFromFlags(tools: Tools, paths: readonly string[], options: GenerateOptions, cwd: string): Promise<RunSummary> {
  const settings: GenerateSettings = {
    root: options.root ?? defaultSettings.root,
    out: options.out ?? defaultSettings.out,
    target: options.target ?? defaultSettings.target,
    importExtension: options.importExtension ?? defaultSettings.importExtension,
  };
  checkSettings(settings);
  const rootPath = resolve(cwd, settings.root);
  checkRoot(rootPath, settings.root);
  for (const path of paths) {
    if (!isInside(rootPath, resolve(cwd, path))) {
      throw new CliError(`${path} is not under ${settings.root}/, the directory of the .proto files; pass --root <dir> to choose another`);
    }
  }
  // buf refuses a --path equal to its input; naming the root means "all of it".
  const subset = paths.filter((path) => resolve(cwd, path) !== rootPath);
  const outPath = resolve(cwd, settings.out);
  const clean = chooseClean(options.clean, subset.length > 0, outPath, settings.out);
  const plugin = (local: string, extra: readonly string[]): object => ({
    local,
    out: settings.out,
    opt: [...pluginOptions(settings), ...extra],
    strategy: "all",
  });
  const config = { version: "v2", plugins: [plugin(tools.protocGenEs, options.esOpt), plugin(tools.protocGenStubwright, options.opt)] };
  const args = ["generate", settings.root, "--template", JSON.stringify(config), ...pathArgs(subset), ...cleanArgs(clean)];
  return runAndSummarize(tools, args, cwd, { watched: outPath, activity: "generating", command: "buf generate" });
}

/**
 * Without a buf.gen.yaml, output is cleaned by default (as init's buf.gen.yaml
 * does), but only when the output directory holds nothing but generated code:
 * buf deletes the whole directory, and `--out src` must never delete your files.
 */
function chooseClean(flag: boolean | undefined, subset: boolean, outPath: string, out: string): boolean {
  const foreign = foreignFile(outPath);
  if (flag === true && foreign !== undefined) {
    throw new CliError(`--clean would delete ${join(out, foreign)}, which is not generated code; choose another --out`);
  }
  return flag ?? (!subset && foreign === undefined);
}

/**
 * The `inputs[].directory` entries of a buf.gen.yaml. buf refuses a --path
 * equal to its input, and naming an input directory means "all of it", as
 * naming --root does without a buf.gen.yaml. An unreadable file gives none:
 * buf then reports what is wrong with it.
 */
function templateInputDirs(templatePath: string): string[] {
  let config: unknown;
  try {
    config = parse(readFileSync(templatePath, "utf8"));
  } catch {
    return [];
  }
  const inputs = (config as { inputs?: unknown } | null)?.inputs;
  if (!Array.isArray(inputs)) return [];
  return inputs.flatMap((input: unknown) => {
    const directory = (input as { directory?: unknown } | null)?.directory;
    return typeof directory === "string" ? [directory] : [];
  });
}

function pathArgs(paths: readonly string[]): string[] {
  return paths.flatMap((path) => ["--path", path]);
}

/** `--clean=false` too: it overrides `clean: true` in a buf.gen.yaml. */
function cleanArgs(clean: boolean | undefined): string[] {
  return clean === undefined ? [] : [`--clean=${String(clean)}`];
}

const targets = new Set(["ts", "js", "dts"]);
const importExtensions = new Set(["js", "ts", "none"]);

/** Rejects flag values the plugins would reject, before buf starts them. */
function checkSettings(settings: GenerateSettings): void {
  if (!settings.target.split("+").every((target) => targets.has(target))) {
    throw new CliError(`--target must be ts, js, dts or a combination such as js+dts, got "${settings.target}"`);
  }
  if (!importExtensions.has(settings.importExtension)) {
    throw new CliError(`--import-extension must be js, ts or none, got "${settings.importExtension}"`);
  }
}

/** A file under `dir` that protoc-gen-es and protoc-gen-stubwright do not write, if any. */
function foreignFile(dir: string): string | undefined {
  if (!existsSync(dir)) {
    return undefined;
  }
  if (!statSync(dir).isDirectory()) {
    return ".";
  }
  const entry = readdirSync(dir, { recursive: true, withFileTypes: true }).find(
    (entry) => !entry.isDirectory() && !(entry.isFile() && /_(pb|grpc)\.(ts|js|d\.ts)$/.test(entry.name)),
  );
  return entry === undefined ? undefined : relative(dir, join(entry.parentPath, entry.name));
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
