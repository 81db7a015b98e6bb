import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { findCorpus } from "../corpus/corpus-files.mjs";

/** Whether this is CI, where missing inputs fail the tests instead of skipping them. */
const inCi = (process.env.CI ?? "") !== "" && process.env.CI !== "false";

/**
 * The shared proto corpus, or undefined (with a warning) when this clone has
 * none beside it. In CI a missing corpus throws: the tests must not skip there.
 */
export function locateCorpus(): string | undefined {
  try {
    return findCorpus();
  } catch (error) {
    if (inCi) {
      throw error;
    }
    console.warn(`skipping the corpus: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** protoc on PATH and the directory of its well-known types. */
export interface Protoc {
  readonly path: string;
  readonly include: string;
}

/**
 * protoc and its well-known types, or undefined (with a warning) when not
 * installed. In CI a missing protoc throws: .ci/run installs it.
 */
export function findProtoc(): Protoc | undefined {
  const probe = spawnSync("sh", ["-c", "command -v protoc"], { encoding: "utf8" });
  const path = probe.stdout.trim();
  // Debian's protobuf-compiler ships the well-known types in /usr/include.
  const include =
    path === ""
      ? undefined
      : [join(dirname(path), "../include"), "/usr/include", "/usr/local/include"].find((dir) => existsSync(join(dir, "google/protobuf/empty.proto")));
  if (probe.status !== 0 || path === "" || include === undefined) {
    const missing = "protoc or its well-known types are not installed (Debian: apt-get install protobuf-compiler libprotobuf-dev)";
    if (inCi) {
      throw new Error(`${missing}; CI must have them`);
    }
    console.warn(`skipping protoc: ${missing}`);
    return undefined;
  }
  return { path, include };
}
