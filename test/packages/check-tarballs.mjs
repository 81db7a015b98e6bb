// Checks of a packed tarball: publint and @arethetypeswrong/cli, then what they do not check (LICENSE, README,
// that every source map's sources are shipped, no build info).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";
import { readJson, run, runStatus } from "./shell.mjs";

const bin = (name) => join(repoRoot, "node_modules/.bin", name);

/** Checks the tarball of package `name`, unpacking it under `unpacked`; returns the problems found. */
export function checkTarball(name, tarball, unpacked) {
  const problems = [];
  for (const [tool, args] of [
    ["publint", ["run", "--strict", tarball]],
    ["attw", ["--format", "ascii", tarball]],
  ]) {
    const { status, output } = runStatus(bin(tool), args, repoRoot);
    if (status !== 0) problems.push(`${tool} ${name} failed:\n${output}`);
  }
  mkdirSync(unpacked, { recursive: true });
  run("tar", ["-xzf", tarball, "-C", unpacked], repoRoot);
  const root = join(unpacked, "package");
  if (!existsSync(join(root, "README.md"))) problems.push(`${name}: no README.md`);
  const license = join(root, "LICENSE");
  if (!existsSync(license) || readFileSync(license, "utf8") !== readFileSync(join(repoRoot, "LICENSE"), "utf8")) {
    problems.push(`${name}: LICENSE missing or not the repository's`);
  }
  for (const file of listFiles(root)) {
    if (file.endsWith(".tsbuildinfo")) problems.push(`${name}: ships ${relative(root, file)}`);
    if (!file.endsWith(".map")) continue;
    for (const source of readJson(file).sources) {
      if (!existsSync(resolve(dirname(file), source))) problems.push(`${name}: ${relative(root, file)} names ${source}, which is not shipped`);
    }
  }
  return problems;
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
