import { runPluginExecutable } from "../plugin-executable.js";
import { createOpenApiPlugin } from "./plugin.js";

const usage =
  "protoc-gen-stubwright-openapi reads a CodeGeneratorRequest on stdin and writes OpenAPI 3.1 documents of the google.api.http routes in a CodeGeneratorResponse to stdout.\n" +
  "Run it through buf (`buf generate`) or protoc (`protoc --plugin=protoc-gen-stubwright-openapi=... --stubwright-openapi_out=...`).\n";

/** The OpenAPI executable: protoc/buf start it, pipe a request in and read the response. */
export function main(args: readonly string[] = process.argv.slice(2)): void {
  runPluginExecutable(createOpenApiPlugin(), "protoc-gen-stubwright-openapi", usage, args);
}
