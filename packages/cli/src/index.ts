import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { type GenerateOptions, generateCommand } from "./generate-command.js";
import { type InitOptions, initCommand } from "./init-command.js";
import { cliVersion } from "./project-versions.js";

/**
 * Runs the `stubwright` command line and resolves to the exit code. Expected
 * failures print one line, `stubwright: <what went wrong>`, to stderr; a
 * failed `generate` exits with buf's exit code, after buf's own messages.
 */
export async function run(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  let exitCode = 0;
  const program = createProgram(cwd, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
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

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

function createProgram(cwd: string, setExitCode: (code: number) => void): Command {
  const program = new Command("stubwright").description("Typed gRPC for TypeScript on protobuf-es and @grpc/grpc-js").version(cliVersion).exitOverride();
  program
    .command("init")
    .description("set up a project: package.json, tsconfig.json, buf.yaml, buf.gen.yaml, an example .proto, server and client")
    .option("-f, --force", "overwrite files that differ from init's (package.json is only ever added to)")
    .action((options: InitOptions) => {
      process.stdout.write(`${initCommand(options, cwd)}\n`);
    });
  program
    .command("generate")
    .description("generate messages and gRPC stubs with buf: from buf.gen.yaml if there is one, else from the flags")
    .argument("[paths...]", ".proto files or directories to generate (default: all)")
    .option("--template <file>", "the buf.gen.yaml to use (default: ./buf.gen.yaml)")
    .option("--no-config", "ignore ./buf.gen.yaml and generate from the flags")
    .option("--clean", "delete the output directories first")
    .option("--no-clean", "keep existing files in the output directories")
    .option("--root <dir>", "without buf.gen.yaml: directory of the .proto files (default: proto)")
    .option("-o, --out <dir>", "without buf.gen.yaml: output directory (default: src/gen)")
    .option("-t, --target <targets>", "without buf.gen.yaml: ts, js, dts, or a combination such as js+dts (default: ts)")
    .option("--import-extension <ext>", "without buf.gen.yaml: extension of relative imports, js, ts or none (default: js)")
    .option("--opt <key=value>", "without buf.gen.yaml: an option for protoc-gen-stubwright (repeatable)", collect, [])
    .option("--es-opt <key=value>", "without buf.gen.yaml: an option for protoc-gen-es (repeatable)", collect, [])
    .action(async (paths: string[], options: GenerateOptions) => {
      const result = await generateCommand(paths, options, cwd);
      if (result.exitCode === 0) {
        process.stdout.write(`${result.summary}\n`);
      } else {
        process.stderr.write(`stubwright: ${result.summary}\n`);
      }
      setExitCode(result.exitCode);
    });
  return program;
}
