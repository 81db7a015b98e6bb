import type { AnyDesc, DescFile } from "@bufbuild/protobuf";
import type { SourceCodeInfo_Location } from "@bufbuild/protobuf/wkt";

/** The elements the reference documents, each of which may carry a comment. */
export type CommentedDesc = Exclude<AnyDesc, DescFile>;

/** Looks up the leading comment of any element in the request. */
export interface CommentIndex {
  /**
   * The leading comment of `desc` as clean text (see {@link commentText}),
   * falling back to its trailing comment; "" when it has none.
   */
  comment(desc: CommentedDesc): string;
  /** The comment above the `package` statement of a file, "" when there is none. */
  packageComment(file: DescFile): string;
}

/** Field numbers of the descriptor protos, as they appear in source paths. */
const pathField = {
  fileMessage: 4,
  fileEnum: 5,
  fileService: 6,
  fileExtension: 7,
  filePackage: 2,
  messageField: 2,
  messageNested: 3,
  messageEnum: 4,
  messageExtension: 6,
  messageOneof: 8,
  enumValue: 2,
  serviceMethod: 2,
} as const;

/**
 * Creates an index of the source comments of every file it is asked about.
 * Each file's locations are indexed once, by path, so that documenting a
 * large file stays linear (protoplugin's `getComments` scans all locations
 * on every call).
 */
export function createCommentIndex(): CommentIndex {
  const byFile = new WeakMap<DescFile, ReadonlyMap<string, SourceCodeInfo_Location>>();
  const paths = new WeakMap<CommentedDesc, readonly number[]>();

  const locations = (file: DescFile): ReadonlyMap<string, SourceCodeInfo_Location> => {
    let index = byFile.get(file);
    if (index === undefined) {
      const map = new Map<string, SourceCodeInfo_Location>();
      for (const location of file.proto.sourceCodeInfo?.location ?? []) {
        const key = location.path.join(",");
        // The first location of a path is the element's own; later ones are parts of it.
        if (!map.has(key)) {
          map.set(key, location);
        }
      }
      index = map;
      byFile.set(file, index);
    }
    return index;
  };

  const pathOf = (desc: CommentedDesc): readonly number[] => {
    let path = paths.get(desc);
    if (path === undefined) {
      path = computePath(desc, pathOf);
      paths.set(desc, path);
    }
    return path;
  };

  const lookup = (file: DescFile, path: readonly number[]): string => {
    const location = locations(file).get(path.join(","));
    if (location === undefined) {
      return "";
    }
    const leading = commentText(location.leadingComments);
    return leading !== "" ? leading : commentText(location.trailingComments);
  };

  return {
    comment: (desc) => lookup(fileOf(desc), pathOf(desc)),
    packageComment: (file) => lookup(file, [pathField.filePackage]),
  };
}

function fileOf(desc: CommentedDesc): DescFile {
  switch (desc.kind) {
    case "field":
    case "oneof":
    case "enum_value":
    case "rpc":
      return desc.parent.file;
    default:
      return desc.file;
  }
}

function computePath(desc: CommentedDesc, pathOf: (desc: CommentedDesc) => readonly number[]): readonly number[] {
  switch (desc.kind) {
    case "message":
      return desc.parent === undefined
        ? [pathField.fileMessage, desc.file.proto.messageType.indexOf(desc.proto)]
        : [...pathOf(desc.parent), pathField.messageNested, desc.parent.proto.nestedType.indexOf(desc.proto)];
    case "enum":
      return desc.parent === undefined
        ? [pathField.fileEnum, desc.file.proto.enumType.indexOf(desc.proto)]
        : [...pathOf(desc.parent), pathField.messageEnum, desc.parent.proto.enumType.indexOf(desc.proto)];
    case "extension":
      return desc.parent === undefined
        ? [pathField.fileExtension, desc.file.proto.extension.indexOf(desc.proto)]
        : [...pathOf(desc.parent), pathField.messageExtension, desc.parent.proto.extension.indexOf(desc.proto)];
    case "field":
      return [...pathOf(desc.parent), pathField.messageField, desc.parent.proto.field.indexOf(desc.proto)];
    case "oneof":
      return [...pathOf(desc.parent), pathField.messageOneof, desc.parent.proto.oneofDecl.indexOf(desc.proto)];
    case "enum_value":
      return [...pathOf(desc.parent), pathField.enumValue, desc.parent.proto.value.indexOf(desc.proto)];
    case "service":
      return [pathField.fileService, desc.file.proto.service.indexOf(desc.proto)];
    case "rpc":
      return [...pathOf(desc.parent), pathField.serviceMethod, desc.parent.proto.method.indexOf(desc.proto)];
  }
}

/**
 * The text of one proto comment: line breaks normalized to LF, without the
 * space that follows `//` on every line, trailing blanks, or empty lines
 * around it. Other indentation, e.g. of code examples, stays.
 */
function commentText(comment: string | undefined): string {
  if (comment === undefined) {
    return "";
  }
  const lines = comment
    .replace(/\r\n|[\r\u2028\u2029]/g, "\n")
    .split("\n")
    .map((line) => (line.startsWith(" ") ? line.slice(1) : line).trimEnd());
  const first = lines.findIndex((line) => line !== "");
  const last = lines.findLastIndex((line) => line !== "");
  return first === -1 ? "" : lines.slice(first, last + 1).join("\n");
}
