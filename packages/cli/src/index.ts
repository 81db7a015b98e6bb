import { Command, CommanderError } from "commander";
import { type BreakingOptions, breakingCommand } from "./breaking-command.js";
import type { CheckResult } from "./check-report.js";
import { CliError } from "./cli-error.js";
import { type DocsOptions, docsCommand } from "./docs-command.js";
import { type GenerateOptions, generateCommand } from "./generate-command.js";
import { type InitOptions, initCommand } from "./init-command.js";
import { type LintOptions, lintCommand } from "./lint-command.js";
import type { RunSummary } from "./run-summary.js";
import { cliVersion } from "./project-versions.js";

/**
 * Runs the `stubwright` command line and resolves to the exit code. Expected
 * failures print one line, `stubwright: <what went wrong>`, to stderr; a
 * failed buf run exits with buf's exit code, after buf's own messages.
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
      setExitCode(printSummary(await generateCommand(paths, options, cwd)));
    });
  program
    .command("lint")
    .description("lint .proto files with buf: buf.yaml's rules, or buf's STANDARD rules")
    .argument("[paths...]", ".proto files or directories to lint (default: all)")
    .option("--root <dir>", "without buf.yaml: directory of the .proto files (default: proto)")
    .option("--error-format <format>", "text (file:line:column: RULE: message), or one of buf's: json, github-actions, ...", "text")
    .action(async (paths: string[], options: LintOptions) => {
      setExitCode(printCheck(await lintCommand(paths, options, cwd)));
    });
  program
    .command("breaking")
    .description("find changes that break clients built on an older schema, with buf")
    .requiredOption("--against <ref|dir|image>", "what to compare with: a git ref (main, origin/main, v1.2.0, a commit), a directory, or a buf image file")
    .option("--level <level>", "rules: wire, wire-json, file or package (default: buf.yaml's, else file)")
    .option("--root <dir>", "without buf.yaml: directory of the .proto files (default: proto)")
    .option("--error-format <format>", "text (with an explanation per finding), or one of buf's: json, github-actions, ...", "text")
    .action(async (options: BreakingOptions) => {
      setExitCode(printCheck(await breakingCommand(options, cwd)));
    });
  program
    .command("docs")
    .description("write an API reference of the .proto files, Markdown and HTML, with protoc-gen-stubwright-docs")
    .option("-o, --out <dir>", "output directory", "docs/api")
    .option("--format <format>", "md, html or both", "both")
    .option("--root <dir>", "without buf.yaml: directory of the .proto files (default: proto)")
    .action(async (options: DocsOptions) => {
      setExitCode(printSummary(await docsCommand(options, cwd)));
    });
  return program;
}

/** Prints a run's summary: on stdout after success, as `stubwright: ...` on stderr after a failure. */
function printSummary(result: RunSummary): number {
  if (result.exitCode === 0) {
    process.stdout.write(`${result.summary}\n`);
  } else {
    process.stderr.write(`stubwright: ${result.summary}\n`);
  }
  return result.exitCode;
}

/** Prints a lint or breaking run: the findings on stdout, then the summary, if any. */
function printCheck(result: CheckResult): number {
  process.stdout.write(result.stdout);
  return result.summary === undefined ? result.exitCode : printSummary({ exitCode: result.exitCode, summary: result.summary });
}
