import { isFieldSet, type DescFile, type DescMethod, type DescService } from "@bufbuild/protobuf";
import { SourceCodeInfo_LocationSchema, type SourceCodeInfo_Location } from "@bufbuild/protobuf/wkt";

/** The comments attached to a service or method in the proto source. */
export interface Comments {
  readonly leading?: string | undefined;
  readonly trailing?: string | undefined;
}

const cache = new WeakMap<DescFile, ReadonlyMap<string, SourceCodeInfo_Location>>();

/**
 * The comments of a service or method, as protoplugin's `getComments` returns
 * them (line breaks normalized to LF). protoplugin scans every source
 * location of the file on each call, which is quadratic for large files; this
 * indexes the locations of services and methods once per file.
 */
export function getServiceComments(desc: DescService | DescMethod): Comments {
  const service = desc.kind === "service" ? desc : desc.parent;
  const path = [6, service.file.services.indexOf(service)];
  if (desc.kind === "rpc") {
    path.push(2, service.methods.indexOf(desc));
  }
  const location = locations(service.file).get(path.join(","));
  if (location === undefined) {
    return {};
  }
  const { leadingComments, trailingComments } = SourceCodeInfo_LocationSchema.field;
  return {
    leading: isFieldSet(location, leadingComments) ? normalizeLineBreaks(location.leadingComments) : undefined,
    trailing: isFieldSet(location, trailingComments) ? normalizeLineBreaks(location.trailingComments) : undefined,
  };
}

function locations(file: DescFile): ReadonlyMap<string, SourceCodeInfo_Location> {
  let index = cache.get(file);
  if (index === undefined) {
    const map = new Map<string, SourceCodeInfo_Location>();
    for (const location of file.proto.sourceCodeInfo?.location ?? []) {
      const { path } = location;
      // Services are field 6 of the file, methods field 2 of a service; the first location wins.
      if (path[0] === 6 && (path.length === 2 || (path.length === 4 && path[2] === 2))) {
        const key = path.join(",");
        if (!map.has(key)) {
          map.set(key, location);
        }
      }
    }
    index = map;
    cache.set(file, index);
  }
  return index;
}

function normalizeLineBreaks(comment: string): string {
  return comment.replace(/\r\n|[\r\u2028\u2029]/g, "\n");
}
