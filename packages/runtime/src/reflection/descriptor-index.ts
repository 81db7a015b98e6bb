import type { DescExtension, DescFile } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";

/**
 * Finds the protobuf-es file descriptors (the `GenFile` objects that
 * protoc-gen-es embeds in generated code) by file name, by symbol and by
 * extension, for the reflection service.
 */
export interface DescriptorIndex {
  /** A file by its proto path, e.g. `pkg/v1/service.proto`. */
  fileByName(name: string): DescFile | undefined;
  /**
   * The file defining a fully-qualified symbol: a message, enum, service or
   * extension, a method (`pkg.Service.Method`), a field or an enum value.
   */
  fileContainingSymbol(name: string): DescFile | undefined;
  /** The file defining extension `number` of message `extendee`. */
  fileContainingExtension(extendee: string, number: number): DescFile | undefined;
  /** The extension numbers known for message `extendee`. */
  extensionNumbersOf(extendee: string): number[];
}

/** Indexes `roots` and every file they import, transitively. */
export function createDescriptorIndex(roots: Iterable<DescFile>): DescriptorIndex {
  const files = new Map<string, DescFile>();
  const symbols = new Map<string, DescFile>();
  const extensions: DescExtension[] = [];
  const visit = (file: DescFile): void => {
    if (files.has(file.proto.name)) {
      return;
    }
    files.set(file.proto.name, file);
    for (const type of nestedTypes(file)) {
      symbols.set(type.typeName, file);
      switch (type.kind) {
        case "service":
          for (const method of type.methods) symbols.set(`${type.typeName}.${method.name}`, file);
          break;
        case "message":
          for (const field of type.fields) symbols.set(`${type.typeName}.${field.name}`, file);
          for (const oneof of type.oneofs) symbols.set(`${type.typeName}.${oneof.name}`, file);
          break;
        case "enum":
          // Enum values are scoped like siblings of their enum, as in protobuf.
          for (const value of type.values) symbols.set(`${type.typeName.slice(0, type.typeName.length - type.name.length)}${value.name}`, file);
          break;
        case "extension":
          extensions.push(type);
          break;
      }
    }
    file.dependencies.forEach(visit);
  };
  for (const root of roots) {
    visit(root);
  }
  return {
    fileByName: (name) => files.get(name),
    fileContainingSymbol: (name) => symbols.get(name.replace(/^\./, "")),
    fileContainingExtension: (extendee, number) => extensions.find((ext) => ext.extendee.typeName === extendee && ext.number === number)?.file,
    extensionNumbersOf: (extendee) => extensions.filter((ext) => ext.extendee.typeName === extendee).map((ext) => ext.number),
  };
}

/** `file` and every file it imports, transitively, the file itself first. */
export function withDependencies(file: DescFile): DescFile[] {
  const seen = new Set<DescFile>();
  const visit = (f: DescFile): void => {
    if (!seen.has(f)) {
      seen.add(f);
      f.dependencies.forEach(visit);
    }
  };
  visit(file);
  return [...seen];
}
