import { existsSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CliError } from "./cli-error.js";

/** Rejects a `paths...` argument that is missing or neither a .proto file nor a directory. */
export function checkPath(cwd: string, path: string): void {
  const full = resolve(cwd, path);
  if (!existsSync(full)) {
    throw new CliError(`${path} does not exist`);
  }
  if (!statSync(full).isDirectory() && !path.endsWith(".proto")) {
    throw new CliError(`${path} is neither a .proto file nor a directory`);
  }
}

/** Rejects a `--root` that is missing, not a directory, or holds no .proto file; `shown` is how the user wrote it. */
export function checkRoot(path: string, shown: string): void {
  if (!existsSync(path)) {
    throw new CliError(`directory ${shown} does not exist; pass --root <dir> to name the directory of your .proto files`);
  }
  if (!statSync(path).isDirectory()) {
    throw new CliError(`${shown} is not a directory`);
  }
  if (!readdirSync(path, { recursive: true, encoding: "utf8" }).some((name) => name.endsWith(".proto"))) {
    throw new CliError(`no .proto files in ${shown}`);
  }
}
