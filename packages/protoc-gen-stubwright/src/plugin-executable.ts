import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import type { Plugin } from "@bufbuild/protoplugin";
import { encodeResponse, readRequest, respond } from "./run-plugin.js";

/**
 * Runs `plugin` as an executable named `command`: protoc/buf start it, pipe a
 * request in and read the response. `--version` prints the plugin's version;
 * other arguments print `usage`.
 */
export function runPluginExecutable(plugin: Plugin, command: string, usage: string, args: readonly string[]): void {
  if (args[0] === "--version" || args[0] === "-v") {
    process.stdout.write(`${plugin.name} ${plugin.version}\n`);
    return;
  }
  if (args.length > 0) {
    process.stderr.write(usage);
    process.exitCode = 1;
    return;
  }
  // Input that is no request at all means protoc or buf did not start the
  // plugin (or broke down): exit non-zero with a message on stderr, as
  // protoc's own plugins do. Errors about a request go in its response instead.
  const fail = (message: string): void => {
    process.stderr.write(`${command}: ${message}\n${usage}`);
    process.exitCode = 1;
  };
  const chunks: Buffer[] = [];
  process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on("error", (error) => fail(`cannot read stdin: ${error.message}`));
  process.stdin.on("end", () => {
    let request: CodeGeneratorRequest;
    try {
      request = readRequest(Buffer.concat(chunks));
    } catch (error) {
      fail((error as Error).message);
      return;
    }
    process.stdout.write(encodeResponse(respond(plugin, request)));
  });
}
