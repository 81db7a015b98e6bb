import type { DescMessage } from "@bufbuild/protobuf";
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";
import type { StubwrightOptions } from "./options.js";

/** Names the generated code refers to without importing them. */
const globalsUsed = new Set(["Promise", "AsyncIterable"]);

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
}

/** Creates the symbol helpers for a generated file. */
export function createFileSymbols(f: GeneratedFile, options: StubwrightOptions): FileSymbols {
  const messageInitShape = f.import("MessageInitShape", "@bufbuild/protobuf", true);
  const messageShape = f.import("MessageShape", "@bufbuild/protobuf", true);
  const schemaType = (message: DescMessage): Printable => ["typeof ", f.importSchema(message, true)];
  return {
    f,
    runtime: (name, typeOnly = false) => f.import(name, options.runtimePackage, typeOnly),
    schemaType,
    schemaValue: (message) => f.importSchema(message),
    // A message named like a global we use ("Promise") would shadow it once
    // imported; refer to such a message through its schema instead.
    shape: (message) =>
      globalsUsed.has(message.name) ? [messageShape, "<", schemaType(message), ">"] : f.importShape(message),
    init: (message) => [messageInitShape, "<", schemaType(message), ">"],
  };
}
