import type { DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";
import { generatedSchemaName, generatedServiceName, generatedShapeName } from "./generated-names.js";
import type { StubwrightOptions } from "./options.js";

/**
 * Message type names that cannot be used as a type reference: the globals the
 * generated code refers to without importing them (an import of a message
 * named `Promise` would shadow them), and TypeScript's type keywords, which
 * protoc-gen-es does not escape (`Promise<unknown>` would silently mean the
 * keyword). Such messages are referred to as `MessageShape<typeof FooSchema>`.
 */
const unusableTypeNames = new Set(["Promise", "AsyncIterable", "any", "unknown", "never", "symbol", "undefined", "keyof", "unique", "infer", "readonly"]);

/**
 * The runtime entry generated code imports from, appended to the
 * `runtime_package` option: a versioned contract between this plugin's
 * output and the runtime, so the runtime's root can change without breaking
 * generated code. Output that needs something this entry lacks moves to a
 * new entry (`codegenv2`), which the runtime then serves beside this one.
 */
const codegenEntry = "codegenv1";

/**
 * The symbols one generated file imports, created through protoplugin so
 * each is imported once and renamed if it would clash with another import or
 * with one of our exports.
 */
export interface FileSymbols {
  readonly f: GeneratedFile;
  readonly runtime: (name: string, typeOnly?: boolean) => Printable;
  /** `typeof FooSchema`, imported type-only. */
  schemaType(message: DescMessage): Printable;
  /** The schema value `FooSchema`. */
  schemaValue(message: DescMessage): Printable;
  /** The message type `Foo`. */
  shape(message: DescMessage): Printable;
  /** `MessageInitShape<typeof FooSchema>`: a message or a plain object for it. */
  init(message: DescMessage): Printable;
  /** The `GenService` protoc-gen-es exports for `service`, e.g. `FooService`. */
  serviceValue(service: DescService): Printable;
  /** `typeof FooService`, imported type-only. */
  serviceType(service: DescService): Printable;
}

/**
 * Creates the symbol helpers for a generated file. Every printable is
 * computed once per message and file, and names come from
 * generated-names.ts: protoplugin's `importSchema` and `importShape` derive a
 * name from all names in the message's file on every call, which is
 * quadratic for files such as google/cloud/compute/v1/compute.proto.
 */
export function createFileSymbols(f: GeneratedFile, options: StubwrightOptions): FileSymbols {
  const messageInitShape = f.import("MessageInitShape", "@bufbuild/protobuf", true);
  const messageShape = f.import("MessageShape", "@bufbuild/protobuf", true);
  const runtimeEntry = `${options.runtimePackage}/${codegenEntry}`;
  const runtimeSymbols = new Map<string, Printable>();
  const messageSymbols = new Map<DescMessage, MessageSymbols>();
  const importPaths = new Map<DescFile, string>();
  // Where protoc-gen-es's code for a file is imported from: asked of protoplugin once per file.
  const importPath = (desc: DescMessage | DescService): string => {
    let from = importPaths.get(desc.file);
    if (from === undefined) {
      from = f.importSchema(desc).from;
      importPaths.set(desc.file, from);
    }
    return from;
  };
  const of = (message: DescMessage): MessageSymbols => {
    let symbols = messageSymbols.get(message);
    if (symbols === undefined) {
      symbols = createMessageSymbols(f, message, importPath(message), messageInitShape, messageShape);
      messageSymbols.set(message, symbols);
    }
    return symbols;
  };
  return {
    f,
    runtime: (name, typeOnly = false) => {
      const key = `${typeOnly ? "type " : ""}${name}`;
      let symbol = runtimeSymbols.get(key);
      if (symbol === undefined) {
        symbol = f.import(name, runtimeEntry, typeOnly);
        runtimeSymbols.set(key, symbol);
      }
      return symbol;
    },
    schemaType: (message) => of(message).schemaType,
    schemaValue: (message) => of(message).schemaValue,
    shape: (message) => of(message).shape,
    init: (message) => of(message).init,
    serviceValue: (service) => f.import(generatedServiceName(service), importPath(service)),
    serviceType: (service) => ["typeof ", f.import(generatedServiceName(service), importPath(service), true)],
  };
}

interface MessageSymbols {
  readonly schemaType: Printable;
  readonly schemaValue: Printable;
  readonly shape: Printable;
  readonly init: Printable;
}

function createMessageSymbols(f: GeneratedFile, message: DescMessage, from: string, messageInitShape: Printable, messageShape: Printable): MessageSymbols {
  const schemaName = generatedSchemaName(message);
  const shapeName = generatedShapeName(message);
  const schemaType = ["typeof ", f.import(schemaName, from, true)];
  return {
    schemaType,
    schemaValue: f.import(schemaName, from),
    shape: unusableTypeNames.has(shapeName) ? [messageShape, "<", schemaType, ">"] : f.import(shapeName, from, true),
    init: [messageInitShape, "<", schemaType, ">"],
  };
}
