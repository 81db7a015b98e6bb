import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CliError } from "./cli-error.js";
import { runBuf } from "./run-buf.js";
import { defaultSettings, pluginOptions, type GenerateSettings } from "./templates.js";
import { resolveTools, type Tools } from "./tools.js";

/** Options of `stubwright generate`. */
export interface GenerateOptions {
  readonly out?: string | undefined;
  readonly target?: string | undefined;
  readonly importExtension?: string | undefined;
}

/**
 * `stubwright generate [dir]`: with a buf.gen.yaml in the working directory
 * and no `dir`, runs `buf generate` on it. Otherwise generates `dir`
 * (default `protos/`) with the built-in settings, no buf config needed.
 */
export async function generateCommand(dir: string | undefined, options: GenerateOptions, cwd: string): Promise<string> {
  const tools = resolveTools();
  const hasFlags = options.out !== undefined || options.target !== undefined || options.importExtension !== undefined;
  if (dir === undefined && !hasFlags && existsSync(join(cwd, "buf.gen.yaml"))) {
    await runBuf(tools, ["generate"], cwd);
    return "generated with buf.gen.yaml";
  }
  const settings: GenerateSettings = {
    protos: dir ?? defaultSettings.protos,
    out: options.out ?? defaultSettings.out,
    target: options.target ?? defaultSettings.target,
    importExtension: options.importExtension ?? defaultSettings.importExtension,
  };
  checkSettings(settings);
  const count = countProtoFiles(resolve(cwd, settings.protos), settings.protos);
  // buf's --clean deletes the whole output directory first: only do that when
  // it holds nothing but generated code, never to a directory such as src/.
  const clean = holdsOnlyGeneratedCode(resolve(cwd, settings.out)) ? ["--clean"] : [];
  await runBuf(tools, ["generate", settings.protos, ...clean, "--template", JSON.stringify(template(tools, settings))], cwd);
  return `generated ${count} .proto file(s) from ${settings.protos}/ into ${settings.out}/`;
}

function template(tools: Tools, settings: GenerateSettings): object {
  const plugin = (local: string): object => ({ local, out: settings.out, opt: pluginOptions(settings), strategy: "all" });
  return { version: "v2", plugins: [plugin(tools.protocGenEs), plugin(tools.protocGenStubwright)] };
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

/** True if `dir` does not exist or holds only files protoc-gen-es and protoc-gen-stubwright write. */
function holdsOnlyGeneratedCode(dir: string): boolean {
  if (!existsSync(dir)) {
    return true;
  }
  if (!statSync(dir).isDirectory()) {
    return false;
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true }).every(
    (entry) => entry.isDirectory() || (entry.isFile() && /_(pb|grpc)\.(ts|js|d\.ts)$/.test(entry.name)),
  );
}

function countProtoFiles(path: string, shown: string): number {
  if (!existsSync(path)) {
    throw new CliError(`directory ${shown} does not exist`);
  }
  if (!statSync(path).isDirectory()) {
    throw new CliError(`${shown} is not a directory`);
  }
  const count = readdirSync(path, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".proto")).length;
  if (count === 0) {
    throw new CliError(`no .proto files in ${shown}`);
  }
  return count;
}
