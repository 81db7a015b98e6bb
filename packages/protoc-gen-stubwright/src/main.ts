import { createStubwrightPlugin } from "./plugin.js";
import { runPlugin } from "./run-plugin.js";

const usage =
  "protoc-gen-stubwright reads a CodeGeneratorRequest on stdin and writes a CodeGeneratorResponse to stdout.\n" +
  "Run it through buf (`buf generate`) or protoc (`protoc --plugin=protoc-gen-stubwright=... --stubwright_out=...`).\n";

/** The executable: protoc/buf start it, pipe a request in and read the response. */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  const plugin = createStubwrightPlugin();
  if (args[0] === "--version" || args[0] === "-v") {
    process.stdout.write(`${plugin.name} ${plugin.version}\n`);
    return;
  }
  if (args.length > 0) {
    process.stderr.write(usage);
    process.exitCode = 1;
    return;
  }
  const chunks: Buffer[] = [];
  process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on("end", () => {
    process.stdout.write(runPlugin(plugin, Buffer.concat(chunks)));
  });
}
