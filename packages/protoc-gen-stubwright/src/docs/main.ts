import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";
import { encodeResponse, readRequest, respond } from "../run-plugin.js";
import { createDocsPlugin } from "./plugin.js";

const usage =
  "protoc-gen-stubwright-docs reads a CodeGeneratorRequest on stdin and writes API reference pages (Markdown, HTML) in a CodeGeneratorResponse to stdout.\n" +
  "Run it through buf (`buf generate`) or protoc (`protoc --plugin=protoc-gen-stubwright-docs=... --stubwright-docs_out=...`).\n";

/** The docs executable: protoc/buf start it, pipe a request in and read the response. */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  const plugin = createDocsPlugin();
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

/** Input that is no request at all: exit non-zero with a message on stderr, as protoc's own plugins do. */
function fail(message: string): void {
  process.stderr.write(`protoc-gen-stubwright-docs: ${message}\n${usage}`);
  process.exitCode = 1;
}
