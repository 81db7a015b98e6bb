import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { bufGenYaml, bufYaml, defaultSettings } from "./buf-config.js";
import { mergePackageJson, newPackageJson, type PackageJsonResult, projectScripts } from "./package-json.js";
import { clientTs, exampleProto, exampleProtoPath, gitignore, serverTs, tsconfigJson } from "./project-files.js";
import { projectDependencies } from "./project-versions.js";

/** Options of `stubwright init`. */
export interface InitOptions {
  readonly force?: boolean | undefined;
}

/** One file init writes, and what it did with it. */
interface FilePlan {
  readonly path: string;
  readonly content: string;
  readonly action: "create" | "overwrite" | "skip" | "unchanged" | "update";
}

/**
 * `stubwright init`: sets up a project in `cwd`, or completes one. Writes
 * what is missing, never overwrites a file without `force` (package.json is
 * only ever added to), and returns the report to print: what it created,
 * changed and skipped, and the next steps.
 */
export function initCommand(options: InitOptions, cwd: string): string {
  const settings = defaultSettings;
  // package.json first: if it cannot be read, nothing is written at all.
  const pkg = planPackageJson(cwd);
  const files: FilePlan[] = [
    pkg.plan,
    ...[
      { path: "tsconfig.json", content: tsconfigJson() },
      { path: ".gitignore", content: gitignore() },
      { path: "buf.yaml", content: bufYaml(settings) },
      { path: "buf.gen.yaml", content: bufGenYaml(settings) },
      { path: exampleProtoPath(settings), content: exampleProto() },
      { path: "src/server.ts", content: serverTs(settings) },
      { path: "src/client.ts", content: clientTs(settings) },
    ].map((file) => planFile(cwd, file.path, file.content, options.force === true)),
  ];
  for (const file of files) {
    if (file.action === "create" || file.action === "overwrite" || file.action === "update") {
      mkdirSync(dirname(join(cwd, file.path)), { recursive: true });
      writeFileSync(join(cwd, file.path), file.content);
    }
  }
  return [...report(files, pkg.result, cwd), "", ...nextSteps(pkg.result)].join("\n");
}

function planPackageJson(cwd: string): { plan: FilePlan; result: PackageJsonResult } {
  const path = join(cwd, "package.json");
  const wants = { scripts: projectScripts, ...projectDependencies() };
  if (!existsSync(path)) {
    const result = newPackageJson(cwd, wants);
    return { plan: { path: "package.json", content: result.content, action: "create" }, result };
  }
  const result = mergePackageJson(readFileSync(path, "utf8"), wants);
  return { plan: { path: "package.json", content: result.content, action: result.added.length > 0 ? "update" : "unchanged" }, result };
}

function planFile(cwd: string, path: string, content: string, force: boolean): FilePlan {
  const full = join(cwd, path);
  if (!existsSync(full)) {
    return { path, content, action: "create" };
  }
  if (readFileSync(full, "utf8") === content) {
    return { path, content, action: "unchanged" };
  }
  return { path, content, action: force ? "overwrite" : "skip" };
}

/** The report line of each action on a file. */
const describe: Record<FilePlan["action"], (path: string, pkg: PackageJsonResult) => string> = {
  create: (path) => `created ${path}`,
  overwrite: (path) => `overwrote ${path} (--force)`,
  skip: (path) => `skipped ${path}: it exists and differs from init's (--force overwrites it)`,
  unchanged: (path) => `unchanged ${path}`,
  update: (path, pkg) => `updated ${path}: added ${pkg.added.join(", ")}`,
};

function report(files: readonly FilePlan[], pkg: PackageJsonResult, cwd: string): string[] {
  const lines = files.map((file) => describe[file.action](file.path, pkg));
  for (const [name, command] of Object.entries(pkg.keptScripts)) {
    lines.push(`kept package.json's script "${name}": "${command}" (init's would be "${projectScripts[name]}")`);
  }
  if (!pkg.isModule) {
    lines.push(
      'package.json has no "type": "module", so the project stays CommonJS: with tsconfig.json\'s "module": "nodenext", ' +
        "src/ compiles to CommonJS and the examples work as they are.",
    );
  }
  const tsconfig = files.find((file) => file.path === "tsconfig.json");
  if (tsconfig?.action === "skip" && !/nodenext|node16|node18|node20|bundler/i.test(readFileSync(join(cwd, "tsconfig.json"), "utf8"))) {
    lines.push('Your tsconfig.json should set "module" and "moduleResolution" to "nodenext": the generated code needs them.');
  }
  if (files.every((file) => file.action === "unchanged")) {
    lines.push("Nothing changed: the project is already set up.");
  } else if (files.every((file) => file.action === "unchanged" || file.action === "skip")) {
    lines.push("Nothing changed.");
  }
  return lines;
}

/** The commands to run next; a script the project already had for something else is replaced by the command itself. */
function nextSteps(pkg: PackageJsonResult): string[] {
  const step = (script: string, npmCommand: string, direct: string): string => `  ${script in pkg.keptScripts ? direct : npmCommand}`;
  return [
    "Next steps:",
    "  npm install",
    step("generate", "npm run generate", "npx stubwright generate"),
    step("build", "npm run build", "npx tsc"),
    step("start", "npm start", "node dist/server.js"),
    "Then, in a second terminal, while the server runs:",
    step("client", "npm run client", "node dist/client.js"),
  ];
}
