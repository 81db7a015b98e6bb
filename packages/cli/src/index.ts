import { Command, CommanderError } from "commander";
import { createRequire } from "node:module";
import { CliError } from "./cli-error.js";
import { generateCommand, type GenerateOptions } from "./generate-command.js";
import { initCommand, type InitOptions } from "./init-command.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/**
 * Runs the `stubwright` command line and resolves to the exit code. Expected
 * failures print one line, `stubwright: <what went wrong>`, to stderr.
 */
export async function run(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const program = createProgram(cwd);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`stubwright: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function createProgram(cwd: string): Command {
  const program = new Command("stubwright").description("Typed gRPC for TypeScript on protobuf-es and @grpc/grpc-js").version(version).exitOverride();
  program
    .command("init")
    .description("write buf.yaml and buf.gen.yaml wired to protoc-gen-es and protoc-gen-stubwright")
    .option("-f, --force", "overwrite existing buf.yaml / buf.gen.yaml")
    .action((options: InitOptions) => {
      process.stdout.write(`${initCommand(options, cwd)}\n`);
    });
  program
    .command("generate")
    .description("generate messages and gRPC stubs; uses buf.gen.yaml if present, else protos/ -> gen/")
    .argument("[dir]", "directory of .proto files (default: protos, or buf.gen.yaml's inputs)")
    .option("-o, --out <dir>", "output directory (default: gen)")
    .option("-t, --target <targets>", "ts, js, dts, or a combination such as js+dts (default: ts)")
    .option("--import-extension <ext>", "extension of relative imports: js, ts or none (default: js)")
    .action(async (dir: string | undefined, options: GenerateOptions) => {
      process.stdout.write(`${await generateCommand(dir, options, cwd)}\n`);
    });
  return program;
}
