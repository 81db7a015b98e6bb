import type { Schema, Target } from "@bufbuild/protoplugin";
import type { StubwrightOptions } from "./options.js";
import { printClientFactory, printDefinition } from "./print-definition.js";
import { printInterfaces } from "./print-interfaces.js";
import { createServiceModels } from "./service-model.js";
import { createFileSymbols } from "./symbols.js";

/**
 * Generates `<name>_grpc.{ts,js,d.ts}` for every requested file that
 * declares services. The three targets share the models and differ only in
 * what carries types: ts prints everything, js only values, dts only types.
 */
export function generate(schema: Schema<StubwrightOptions>, target: Target): void {
  for (const file of schema.files) {
    if (file.services.length === 0) {
      continue;
    }
    const f = schema.generateFile(`${file.name}_grpc.${target === "dts" ? "d.ts" : target}`);
    f.preamble(file);
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
