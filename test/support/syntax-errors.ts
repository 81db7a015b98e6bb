import ts from "typescript";

/**
 * The syntax errors TypeScript's parser finds in `content`, a generated file
 * named `name` (.ts, .js or .d.ts); none for code that parses.
 */
export function syntaxErrors(name: string, content: string): string[] {
  const { diagnostics = [] } = ts.transpileModule(content, {
    // transpileModule refuses declaration files; their syntax is that of a .ts file.
    fileName: name.replace(/\.d\.ts$/, ".ts"),
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
