import type { AnyDesc, DescEnum, DescFile, DescMessage } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import type { LinkTarget, TextPart } from "./doc-model.js";

/** Resolves elements to their anchors and pages, and type names to links. */
export interface Linker {
  /** The page of a package, without extension (`acme/shop/v1/index`). */
  pageOf(packageName: string): string;
  /** A type's name as a part of rich text, linked when it is documented somewhere a link reaches. */
  typeRef(desc: DescMessage | DescEnum, fromPackage: string): TextPart;
  /** Where an element with this full name (no leading dot) is documented, if it is. */
  resolve(fullName: string): LinkTarget | undefined;
}

/** The page for files without a package: "-" is in no package name, so it cannot collide with one. */
const noPackagePage = "no-package/index";

/** The protobuf documentation of the well-known types (package google.protobuf). */
const wellKnownTypesUrl = "https://protobuf.dev/reference/protobuf/google.protobuf/";

/** Types that have a section of their own on {@link wellKnownTypesUrl}, by name; the anchor is the lowercased name. */
const wellKnownSections = new Set([
  "Any",
  "Api",
  "BoolValue",
  "BytesValue",
  "DoubleValue",
  "Duration",
  "Empty",
  "Enum",
  "EnumValue",
  "Field",
  "FieldMask",
  "FloatValue",
  "Int32Value",
  "Int64Value",
  "ListValue",
  "Method",
  "Mixin",
  "NullValue",
  "Option",
  "SourceContext",
  "StringValue",
  "Struct",
  "Syntax",
  "Timestamp",
  "Type",
  "UInt32Value",
  "UInt64Value",
  "Value",
]);

/**
 * The anchor of an element: its full protobuf name. Full names are unique in
 * a request (protoc and buf reject duplicates), and an enum value is named
 * inside its enum, so an anchor never repeats on a page and does not change
 * when other elements are added.
 */
export function anchorOf(desc: Exclude<AnyDesc, DescFile>): string {
  switch (desc.kind) {
    case "message":
    case "enum":
    case "service":
    case "extension":
      return desc.typeName;
    case "rpc":
    case "field":
    case "oneof":
    case "enum_value":
      return `${desc.parent.typeName}.${desc.name}`;
  }
}

/**
 * Creates the linker for one run. Only elements of `documented` files get
 * pages, so only they are linked within the output; types of
 * google.protobuf that are not documented link to the protobuf
 * documentation; any other type is printed without a link rather than with
 * one that would not resolve.
 */
export function createLinker(documented: readonly DescFile[]): Linker {
  const pageOf = (packageName: string): string => (packageName === "" ? noPackagePage : `${packageName.split(".").join("/")}/index`);
  const targets = new Map<string, LinkTarget>();
  for (const file of documented) {
    const page = pageOf(file.proto.package);
    const add = (desc: Exclude<AnyDesc, DescFile>) => targets.set(anchorOf(desc), { kind: "page", page, anchor: anchorOf(desc) });
    for (const service of file.services) {
      add(service);
      service.methods.forEach(add);
    }
    for (const type of nestedTypes(file)) {
      add(type);
      if (type.kind === "message") {
        type.fields.forEach(add);
        type.oneofs.forEach(add);
      } else if (type.kind === "enum") {
        type.values.forEach(add);
      }
    }
  }

  const resolve = (fullName: string): LinkTarget | undefined => {
    const target = targets.get(fullName);
    if (target !== undefined) {
      return target;
    }
    if (fullName.startsWith("google.protobuf.")) {
      const top = fullName.slice("google.protobuf.".length).split(".")[0] ?? "";
      return { kind: "url", url: wellKnownSections.has(top) ? `${wellKnownTypesUrl}#${top.toLowerCase()}` : wellKnownTypesUrl };
    }
    return undefined;
  };

  return {
    pageOf,
    resolve,
    typeRef(desc, fromPackage) {
      const packageName = desc.file.proto.package;
      const text = packageName === fromPackage && packageName !== "" ? desc.typeName.slice(packageName.length + 1) : desc.typeName;
      return { text, target: resolve(desc.typeName), code: true };
    },
  };
}
