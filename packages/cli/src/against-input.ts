import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { BufProject } from "./buf-project.js";
import { CliError } from "./cli-error.js";

/** What `breaking --against` compares with, as buf's arguments and as the summary names it. */
export interface AgainstInput {
  /** `--against ...` and, when the project has no buf.yaml, `--against-config ...`. */
  readonly args: readonly string[];
  /** E.g. `git ref main`, `directory ../old`, `image old.binpb`. */
  readonly description: string;
}

/**
 * Turns `--against` into a buf input. A directory or file that exists is
 * used as given (a checkout, or an image from `buf build -o`); text with `#`
 * is already a buf input; anything else is a git ref of the repository around
 * `cwd` (a branch, tag, remote branch such as `origin/main`, or commit), read
 * from its .git at the project's subdirectory. Without a buf.yaml, the old
 * files get the same one-module config as the new ones.
 */
export function resolveAgainst(against: string, cwd: string, project: BufProject, config: string | undefined): AgainstInput {
  const full = resolve(cwd, against);
  if (against.includes("#") || existsSync(full)) {
    const kind = against.includes("#") ? "buf input" : statSync(full).isDirectory() ? "directory" : "image";
    // An image holds compiled files already: buf takes no config for it.
    const againstConfig =
      kind === "image" || project.bufYaml !== undefined ? [] : ["--against-config", moduleConfig(directoryModule(cwd, full, project.root), config)];
    return { args: ["--against", against, ...againstConfig], description: `${kind} ${against}` };
  }
  const repo = gitRepository(cwd, against);
  verifyRef(cwd, against);
  const subdir = repo.prefix.replace(/\/$/, "");
  const input = `${repo.gitDir}#ref=${against}${subdir === "" ? "" : `,subdir=${subdir}`}`;
  // buf reads --against-config's module paths from the repository's top, not from subdir.
  const againstConfig = project.bufYaml === undefined ? ["--against-config", moduleConfig(`${repo.prefix}${project.root}`, config)] : [];
  return { args: ["--against", input, ...againstConfig], description: `git ref ${against}` };
}

/** The repository's shared .git directory (a worktree's too) and `cwd`'s path in it, e.g. `services/api/`. */
function gitRepository(cwd: string, against: string): { gitDir: string; prefix: string } {
  const result = git(cwd, ["rev-parse", "--path-format=absolute", "--git-common-dir", "--show-prefix"]);
  if (result.status !== 0) {
    throw new CliError(`--against ${against} is neither a directory nor a file here, and ${cwd} is not in a git repository, so it cannot be a git ref`);
  }
  const [gitDir = "", prefix = ""] = result.stdout.split("\n");
  return { gitDir, prefix };
}

function verifyRef(cwd: string, against: string): void {
  if (git(cwd, ["rev-parse", "--verify", "--quiet", `${against}^{commit}`]).status !== 0) {
    throw new CliError(
      `--against ${against} is neither a directory nor a file here, nor a git ref of this repository (a branch, tag or commit; fetch it first if it is remote)`,
    );
  }
}

function git(cwd: string, args: readonly string[]): { status: number | null; stdout: string } {
  const result = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (result.error !== undefined) {
    throw new CliError(`--against with a git ref needs git, which could not be started: ${result.error.message}`);
  }
  return { status: result.status, stdout: result.stdout };
}

/**
 * The module path of the old files in a directory: buf reads it from `cwd`
 * when the directory is inside it (`old/proto`), else from the directory.
 */
function directoryModule(cwd: string, dir: string, root: string): string {
  const rel = relative(cwd, dir);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return inside ? `${rel.split(sep).join("/")}/${root}` : root;
}

/** The config built for the project (see bufConfigArg) with its one module at `path`. */
function moduleConfig(path: string, config: string | undefined): string {
  const parsed = JSON.parse(config ?? "{}") as Record<string, unknown>;
  return JSON.stringify({ ...parsed, modules: [{ path }] });
}
