import {
  ScalarType,
  type DescEnum,
  type DescExtension,
  type DescField,
  type DescFile,
  type DescMessage,
  type DescMethod,
  type DescService,
} from "@bufbuild/protobuf";
import { FeatureSet_FieldPresence, MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { CommentIndex, CommentedDesc } from "./comments.js";
import type { EnumDoc, FieldDoc, MessageDoc, MethodDoc, PackageDoc, RichText, ServiceDoc } from "./doc-model.js";
import type { HttpRouteReader } from "./http-rules.js";
import { anchorOf, type Linker } from "./links.js";
import { richComment } from "./rich-comments.js";

/** What building the pages needs besides the files. */
export interface BuildContext {
  readonly linker: Linker;
  readonly comments: CommentIndex;
  readonly httpRoutes: HttpRouteReader;
}

const callKinds: Readonly<Record<DescMethod["methodKind"], string>> = {
  unary: "unary",
  server_streaming: "server streaming",
  client_streaming: "client streaming",
  bidi_streaming: "bidi streaming",
};

const scalarNames: Readonly<Record<ScalarType, string>> = {
  [ScalarType.DOUBLE]: "double",
  [ScalarType.FLOAT]: "float",
  [ScalarType.INT64]: "int64",
  [ScalarType.UINT64]: "uint64",
  [ScalarType.INT32]: "int32",
  [ScalarType.FIXED64]: "fixed64",
  [ScalarType.FIXED32]: "fixed32",
  [ScalarType.BOOL]: "bool",
  [ScalarType.STRING]: "string",
  [ScalarType.BYTES]: "bytes",
  [ScalarType.UINT32]: "uint32",
  [ScalarType.SFIXED32]: "sfixed32",
  [ScalarType.SFIXED64]: "sfixed64",
  [ScalarType.SINT32]: "sint32",
  [ScalarType.SINT64]: "sint64",
};

/** Groups the files to document by package (sorted by name) and builds each package's page. */
export function buildPackageDocs(files: readonly DescFile[], context: BuildContext): PackageDoc[] {
  const byPackage = new Map<string, DescFile[]>();
  for (const file of [...files].sort((a, b) => compare(a.proto.name, b.proto.name))) {
    const list = byPackage.get(file.proto.package) ?? [];
    list.push(file);
    byPackage.set(file.proto.package, list);
  }
  return [...byPackage.entries()].sort(([a], [b]) => compare(a, b)).map(([name, packageFiles]) => buildPackage(name, packageFiles, context));
}

function buildPackage(name: string, files: readonly DescFile[], context: BuildContext): PackageDoc {
  const builder = createElementBuilder(name, context);
  const messages: MessageDoc[] = [];
  const enums: EnumDoc[] = [];
  const extensions: FieldDoc[] = [];
  const visitMessage = (message: DescMessage) => {
    messages.push(builder.message(message));
    message.nestedMessages.forEach(visitMessage);
    enums.push(...message.nestedEnums.map(builder.enum));
    extensions.push(...message.nestedExtensions.map(builder.extension));
  };
  for (const file of files) {
    file.messages.forEach(visitMessage);
    enums.push(...file.enums.map(builder.enum));
    extensions.push(...file.extensions.map(builder.extension));
  }
  const packageComment = files.map((file) => context.comments.packageComment(file)).find((comment) => comment !== "") ?? "";
  return {
    name,
    page: context.linker.pageOf(name),
    files: files.map((file) => file.proto.name),
    comment: richComment(packageComment, context.linker),
    services: files.flatMap((file) => file.services.map(builder.service)),
    messages,
    enums,
    extensions,
  };
}

/** Builders of each element's doc, for elements of package `packageName`. */
function createElementBuilder(packageName: string, { linker, comments, httpRoutes }: BuildContext) {
  const comment = (desc: CommentedDesc): RichText => richComment(comments.comment(desc), linker);
  const ref = (desc: DescMessage | DescEnum): RichText => [linker.typeRef(desc, packageName)];
  const localName = (desc: DescMessage | DescEnum): string => (packageName === "" ? desc.typeName : desc.typeName.slice(packageName.length + 1));

  const method = (desc: DescMethod): MethodDoc => ({
    anchor: anchorOf(desc),
    name: desc.name,
    callKind: callKinds[desc.methodKind],
    request: ref(desc.input),
    response: ref(desc.output),
    comment: comment(desc),
    deprecated: desc.deprecated,
    idempotency: idempotency(desc),
    http: httpRoutes(desc),
  });

  const field = (desc: DescField | DescExtension): FieldDoc => ({
    anchor: anchorOf(desc),
    number: desc.number,
    name: desc.name,
    type: fieldType(desc, ref),
    label: label(desc),
    presence: presence(desc),
    oneof: desc.kind === "field" ? desc.oneof?.name : undefined,
    extendee: desc.kind === "extension" ? ref(desc.extendee) : undefined,
    comment: comment(desc),
    deprecated: desc.deprecated,
  });

  return {
    service: (desc: DescService): ServiceDoc => ({
      anchor: anchorOf(desc),
      name: desc.name,
      file: desc.file.proto.name,
      comment: comment(desc),
      deprecated: desc.deprecated,
      methods: desc.methods.map(method),
    }),
    message: (desc: DescMessage): MessageDoc => ({
      anchor: anchorOf(desc),
      name: localName(desc),
      file: desc.file.proto.name,
      comment: comment(desc),
      deprecated: desc.deprecated,
      fields: desc.fields.map(field),
      oneofs: desc.oneofs.map((oneof) => ({
        anchor: anchorOf(oneof),
        name: oneof.name,
        fields: oneof.fields.map((f) => f.name),
        comment: comment(oneof),
      })),
      nested: [...desc.nestedMessages, ...desc.nestedEnums].map(ref),
      parent: desc.parent === undefined ? undefined : ref(desc.parent),
    }),
    enum: (desc: DescEnum): EnumDoc => ({
      anchor: anchorOf(desc),
      name: localName(desc),
      file: desc.file.proto.name,
      comment: comment(desc),
      deprecated: desc.deprecated,
      values: desc.values.map((value) => ({
        anchor: anchorOf(value),
        name: value.name,
        number: value.number,
        comment: comment(value),
        deprecated: value.deprecated,
      })),
      parent: desc.parent === undefined ? undefined : ref(desc.parent),
    }),
    extension: field,
  };
}

function idempotency(desc: DescMethod): string | undefined {
  switch (desc.idempotency) {
    case MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS:
      return "no side effects";
    case MethodOptions_IdempotencyLevel.IDEMPOTENT:
      return "idempotent";
    default:
      return undefined;
  }
}

/** The field's type as declared: a scalar, a (linked) message or enum, or `map<K, V>`. */
function fieldType(desc: DescField | DescExtension, ref: (desc: DescMessage | DescEnum) => RichText): RichText {
  const code = (text: string): RichText => [{ text, code: true }];
  switch (desc.fieldKind) {
    case "scalar":
      return code(scalarNames[desc.scalar]);
    case "enum":
      return ref(desc.enum);
    case "message":
      return ref(desc.message);
    case "list":
      return desc.listKind === "scalar" ? code(scalarNames[desc.scalar]) : ref(desc.listKind === "enum" ? desc.enum : desc.message);
    case "map": {
      const value = desc.mapKind === "scalar" ? code(scalarNames[desc.scalar]) : ref(desc.mapKind === "enum" ? desc.enum : desc.message);
      const key = `map<${scalarNames[desc.mapKey]}, `;
      // One code span when nothing in it links; a span split around plain text renders as separate pieces.
      return value.every((part) => part.target === undefined)
        ? code(`${key}${value.map((part) => part.text).join("")}>`)
        : [...code(key), ...value, ...code(">")];
    }
  }
}

/**
 * The cardinality as the schema states it: repeated, map, required
 * (proto2 `required` or the editions feature), optional (the proto2 or
 * proto3 `optional` label, or explicit presence of a scalar under
 * editions), or singular.
 */
function label(desc: DescField | DescExtension): string {
  if (desc.fieldKind === "list") {
    return "repeated";
  }
  if (desc.fieldKind === "map") {
    return "map";
  }
  if (desc.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED) {
    return "required";
  }
  const inOneof = desc.kind === "field" && desc.oneof !== undefined;
  if (!inOneof && desc.fieldKind !== "message" && desc.presence === FeatureSet_FieldPresence.EXPLICIT) {
    return "optional";
  }
  return "singular";
}

/**
 * Whether the field tracks presence: explicit (has a "set" state: messages,
 * oneof members, optional and required fields), implicit (proto3 scalars
 * without `optional`: the default value is "not set"), or "-" for repeated
 * and map fields.
 */
function presence(desc: DescField | DescExtension): string {
  if (desc.fieldKind === "list" || desc.fieldKind === "map") {
    return "-";
  }
  if (desc.fieldKind === "message" || (desc.kind === "field" && desc.oneof !== undefined) || desc.presence !== FeatureSet_FieldPresence.IMPLICIT) {
    return "explicit";
  }
  return "implicit";
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
