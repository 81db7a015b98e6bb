import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./cli-error.js";
import { bufGenYaml, bufYaml, defaultSettings } from "./templates.js";

/** Options of `stubwright init`. */
export interface InitOptions {
  readonly force?: boolean | undefined;
}

/**
 * `stubwright init`: writes buf.yaml and buf.gen.yaml wired to protoc-gen-es
 * and protoc-gen-stubwright, and creates protos/. Refuses to overwrite
 * existing config unless `force` is set, and then writes nothing at all.
 */
export function initCommand(options: InitOptions, cwd: string): string {
  const files = [
    { name: "buf.yaml", content: bufYaml(defaultSettings) },
    { name: "buf.gen.yaml", content: bufGenYaml(defaultSettings) },
  ];
  const existing = files.filter((file) => existsSync(join(cwd, file.name))).map((file) => file.name);
  if (existing.length > 0 && options.force !== true) {
    const verb = existing.length === 1 ? "exists" : "exist";
    throw new CliError(`${existing.join(" and ")} already ${verb}; run with --force to overwrite`);
  }
  for (const file of files) {
    writeFileSync(join(cwd, file.name), file.content);
  }
  mkdirSync(join(cwd, defaultSettings.protos), { recursive: true });
  return `wrote ${files.map((file) => file.name).join(" and ")}; put .proto files in ${defaultSettings.protos}/ and run \`npx stubwright generate\``;
}
