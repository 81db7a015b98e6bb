import { runPluginExecutable } from "./plugin-executable.js";
import { createStubwrightPlugin } from "./plugin.js";

const usage =
  "protoc-gen-stubwright reads a CodeGeneratorRequest on stdin and writes a CodeGeneratorResponse to stdout.\n" +
  "Run it through buf (`buf generate`) or protoc (`protoc --plugin=protoc-gen-stubwright=... --stubwright_out=...`).\n";

/** The executable: protoc/buf start it, pipe a request in and read the response. */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  runPluginExecutable(createStubwrightPlugin(), "protoc-gen-stubwright", usage, args);
}
