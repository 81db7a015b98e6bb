import type { Schema, Target } from "@bufbuild/protoplugin";
import type { StubwrightOptions } from "./options.js";
import { printClientFactory, printDefinition } from "./print-definition.js";
import { printInterfaces } from "./print-interfaces.js";
import { createServiceModels } from "./service-model.js";
import { createFileSymbols } from "./symbols.js";

/**
 * Generates `<name>_grpc.{ts,js,d.ts}` for every requested file that
 * declares services, and with `keep_empty_files=true` for the others too. The
 * three targets share the models and differ only in what carries types: ts
 * prints everything, js only values, dts only types.
 */
export function generate(schema: Schema<StubwrightOptions>, target: Target): void {
  for (const file of schema.files) {
    if (file.services.length === 0 && !schema.options.keepEmptyFiles) {
      continue;
    }
    const f = schema.generateFile(`${file.name}_grpc.${target === "dts" ? "d.ts" : target}`);
    f.preamble(file);
    if (file.services.length === 0) {
      // An ES module without exports; a file with only comments would be a
      // script to TypeScript. CommonJS needs nothing to be a module.
      if (target !== "js" || f.jsImportStyle === "module") {
        f.print("export {};");
      }
      continue;
    }
    const symbols = createFileSymbols(f, schema.options);
    for (const service of createServiceModels(file)) {
      printDefinition(symbols, service, target);
      if (target !== "js") {
        printInterfaces(symbols, service);
      }
      printClientFactory(symbols, service, target);
    }
  }
}
