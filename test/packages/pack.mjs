// Packing: the three public packages as npm would publish them (each prepack builds its package from scratch).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../support/generate-code.mjs";
import { run } from "./shell.mjs";

/** The public packages' folders, in the repository. */
const publicPackages = ["packages/runtime", "packages/protoc-gen-stubwright", "packages/cli"];

/** Packs the public packages into `destination`; returns the tarballs' paths by package name. */
export function packPublicPackages(destination) {
  mkdirSync(destination, { recursive: true });
  const workspaces = publicPackages.flatMap((dir) => ["-w", dir]);
  const output = run("npm", ["pack", "--json", "--pack-destination", destination, ...workspaces], repoRoot);
  return Object.fromEntries(JSON.parse(output).map((entry) => [entry.name, join(destination, entry.filename)]));
}
