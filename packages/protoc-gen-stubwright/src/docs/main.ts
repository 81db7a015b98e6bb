import { runPluginExecutable } from "../plugin-executable.js";
import { createDocsPlugin } from "./plugin.js";

const usage =
  "protoc-gen-stubwright-docs reads a CodeGeneratorRequest on stdin and writes API reference pages (Markdown, HTML) in a CodeGeneratorResponse to stdout.\n" +
  "Run it through buf (`buf generate`) or protoc (`protoc --plugin=protoc-gen-stubwright-docs=... --stubwright-docs_out=...`).\n";

/** The docs executable: protoc/buf start it, pipe a request in and read the response. */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  runPluginExecutable(createDocsPlugin(), "protoc-gen-stubwright-docs", usage, args);
}
