import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The state of every file under a directory, to tell afterwards which ones a run wrote. */
export type FileSnapshot = ReadonlyMap<string, string>;

/**
 * Records every file under `root`, skipping node_modules and dot-directories.
 * A file counts as written later if it is new, or its inode, size or mtime
 * changed. buf leaves a file whose content would not change untouched, so
 * what counts is what a run actually changed on disk.
 */
export function snapshotFiles(root: string): FileSnapshot {
  const files = new Map<string, string>();
  if (!existsSync(root)) {
    return files;
  }
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) {
        continue;
      }
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        visit(path);
      } else if (entry.isFile()) {
        const stat = statSync(path, { bigint: true });
        files.set(path, `${stat.ino}:${stat.size}:${stat.mtimeNs}`);
      }
    }
  };
  visit(root);
  return files;
}

/** How many files of `after` are new or changed since `before`. */
export function countWritten(before: FileSnapshot, after: FileSnapshot): number {
  let count = 0;
  for (const [path, state] of after) {
    if (before.get(path) !== state) {
      count++;
    }
  }
  return count;
}
