import { basename } from "node:path";
import { CliError } from "./cli-error.js";

/**
 * The npm scripts of a project set up by `stubwright init`. `breaking`
 * compares with the main branch; `npm run breaking -- --against <ref>`
 * overrides it, since the last `--against` wins.
 */
export const projectScripts: Readonly<Record<string, string>> = {
  generate: "stubwright generate",
  build: "tsc",
  start: "node dist/server.js",
  client: "node dist/client.js",
  lint: "stubwright lint",
  breaking: "stubwright breaking --against main",
};

/** What `init` wants in package.json. */
export interface PackageWants {
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** A package.json after `init`: its text and what changed. */
export interface PackageJsonResult {
  readonly content: string;
  /** What was added, e.g. `scripts.generate`; empty if nothing. */
  readonly added: readonly string[];
  /** Scripts that exist with another command, left as they are. */
  readonly keptScripts: Readonly<Record<string, string>>;
  /** The package's module system. */
  readonly isModule: boolean;
}

/** A new ESM package.json for a project in directory `dir`. */
export function newPackageJson(dir: string, wants: PackageWants): PackageJsonResult {
  const manifest = {
    name: packageName(basename(dir)),
    version: "0.1.0",
    private: true,
    type: "module",
    scripts: { ...wants.scripts },
    dependencies: { ...wants.dependencies },
    devDependencies: { ...wants.devDependencies },
  };
  return { content: `${JSON.stringify(manifest, null, 2)}\n`, added: [], keptScripts: {}, isModule: true };
}

/**
 * Adds to an existing package.json the scripts and dependencies it lacks;
 * never changes a value it has. A dependency counts as present in any of the
 * dependency fields. Keeps the file's indentation and key order.
 */
export function mergePackageJson(text: string, wants: PackageWants): PackageJsonResult {
  const manifest = parseManifest(text);
  const added: string[] = [];
  const keptScripts: Record<string, string> = {};
  const scripts = objectField(manifest, "scripts");
  for (const [name, command] of Object.entries(wants.scripts)) {
    const existing = scripts[name];
    if (existing === undefined) {
      scripts[name] = command;
      added.push(`scripts.${name}`);
    } else if (existing !== command) {
      keptScripts[name] = String(existing);
    }
  }
  const present = new Set(
    ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((field) => Object.keys(objectField(manifest, field, false))),
  );
  for (const field of ["dependencies", "devDependencies"] as const) {
    const missing = Object.entries(wants[field]).filter(([name]) => !present.has(name));
    if (missing.length > 0) {
      const target = objectField(manifest, field);
      for (const [name, range] of missing) {
        target[name] = range;
        added.push(`${field}.${name}`);
      }
    }
  }
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? 2;
  const content = added.length === 0 ? text : `${JSON.stringify(manifest, null, indent)}${text.endsWith("\n") ? "\n" : ""}`;
  return { content, added, keptScripts, isModule: manifest.type === "module" };
}

function parseManifest(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`package.json is not valid JSON (${(error as Error).message}); fix it and run init again`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError("package.json does not hold a JSON object; fix it and run init again");
  }
  return value as Record<string, unknown>;
}

/** The object in `manifest[field]`, created if missing and `create` is set. */
function objectField(manifest: Record<string, unknown>, field: string, create = true): Record<string, unknown> {
  const value = manifest[field];
  if (value === undefined) {
    const fresh: Record<string, unknown> = {};
    if (create) {
      manifest[field] = fresh;
    }
    return fresh;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`"${field}" in package.json is not an object; fix it and run init again`);
  }
  return value as Record<string, unknown>;
}

/** A valid npm package name from a directory name. */
function packageName(dirName: string): string {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, "-")
    .replace(/^[._-]+|-+$/g, "");
  return name === "" ? "stubwright-project" : name.slice(0, 214);
}
