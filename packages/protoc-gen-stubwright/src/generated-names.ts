import type { DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import { safeIdentifier } from "@bufbuild/protoplugin";

/** The names protoc-gen-es gives a file's messages (`FooSchema` and `Foo`) and services (`FooService`). */
interface FileNames {
  readonly schema: ReadonlyMap<DescMessage, string>;
  readonly shape: ReadonlyMap<DescMessage, string>;
  readonly service: ReadonlyMap<DescService, string>;
}

const cache = new WeakMap<DescFile, FileNames>();

/**
 * The name of the schema protoc-gen-es exports for `message`, e.g. `FooSchema`
 * (`FooSchema$` when that is taken). Same as protoplugin's `importSchema`
 * name, which recomputes every name in the file on each call; this computes
 * them once per file.
 */
export function generatedSchemaName(message: DescMessage): string {
  return lookUp(fileNames(message.file).schema, message);
}

/** The name of the message type protoc-gen-es exports for `message`, e.g. `Foo`. */
export function generatedShapeName(message: DescMessage): string {
  return lookUp(fileNames(message.file).shape, message);
}

/** The name of the `GenService` protoc-gen-es exports for `service`, e.g. `FooService` (`class$` for `class`). */
export function generatedServiceName(service: DescService): string {
  return lookUp(fileNames(service.file).service, service);
}

function lookUp<D extends DescMessage | DescService>(names: ReadonlyMap<D, string>, desc: D): string {
  const name = names.get(desc);
  if (name === undefined) {
    throw new Error(`no generated name for ${desc.toString()}`);
  }
  return name;
}

/**
 * protoplugin's naming (names.ts, `allNames`): first the types of all
 * messages and enums, then the descriptors of the file and all its elements,
 * in declaration order; a taken name gets `$`, then `$1`, `$2`...
 */
function fileNames(file: DescFile): FileNames {
  let names = cache.get(file);
  if (names !== undefined) {
    return names;
  }
  const taken = new Set<string>();
  const claim = (ideal: (salt: string) => string): string => {
    for (let i = 0; ; i++) {
      const name = ideal(i === 0 ? "" : i === 1 ? "$" : `$${i - 1}`);
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  const types = [...nestedTypes(file)];
  const shape = new Map<DescMessage, string>();
  for (const desc of types) {
    if (desc.kind === "message" || desc.kind === "enum") {
      const name = claim((salt) => safeIdentifier(identifier(file, desc.typeName) + salt));
      if (desc.kind === "message") {
        shape.set(desc, name);
      }
    }
  }
  const schema = new Map<DescMessage, string>();
  const service = new Map<DescService, string>();
  claim((salt) => safeIdentifier(`file_${file.name.replace(/[^a-zA-Z0-9_]+/g, "_")}${salt}`));
  for (const desc of types) {
    const suffix = desc.kind === "message" || desc.kind === "enum" ? "Schema" : "";
    const name = claim((salt) => safeIdentifier(identifier(file, desc.typeName) + suffix + salt));
    if (desc.kind === "message") {
      schema.set(desc, name);
    } else if (desc.kind === "service") {
      service.set(desc, name);
    }
  }
  names = { schema, shape, service };
  cache.set(file, names);
  return names;
}

/** `pkg.Outer.Inner` becomes `Outer_Inner`. */
function identifier(file: DescFile, typeName: string): string {
  const pkg = file.proto.package;
  return typeName.substring(pkg.length > 0 ? pkg.length + 1 : 0).replace(/\./g, "_");
}
