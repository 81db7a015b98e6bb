import type { DescField } from "@bufbuild/protobuf";
import type { RestBinding, TemplateSegment as Segment, TemplateVariable } from "@stubwright/runtime/http-rules";

/** A path parameter of an OpenAPI path: one `{name}` of it. */
export interface PathParameter {
  readonly name: string;
  /** The request field it sets on its own (a `{field}` variable), if it is the whole variable. */
  readonly field: DescField | undefined;
  readonly description: string;
  /** True for a `**`: the value may span segments, with its "/" unencoded. */
  readonly multiSegment: boolean;
}

/**
 * The OpenAPI path of a binding and its parameters. OpenAPI path parameters
 * are single segments, so a variable that spans segments
 * (`{name=shelves/*}/books/*`) is written out: its literals stay in the path
 * and each `*` becomes a parameter named after the literal before it
 * (`/v1/shelves/{shelvesId}/books/{booksId}`, as Google's discovery
 * documents name them); the server puts the field together from the URL.
 * A `**` becomes `{<literal>Path}`. The custom verb stays (`:cancel`).
 */
export function openApiPath(binding: RestBinding): { path: string; parameters: PathParameter[] } {
  const { template } = binding;
  const parts: string[] = [];
  const parameters: PathParameter[] = [];
  const taken = new Set<string>();
  const claim = (wanted: string): string => {
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
    taken.add(name);
    return name;
  };
  let index = 0;
  for (const variable of template.variables) {
    for (; index < variable.start; index++) {
      parts.push(unboundSegment(template.segments[index] as Segment, claim, parameters));
    }
    parts.push(...variableSegments(binding, variable, claim, parameters));
    index = variable.end;
  }
  for (; index < template.segments.length; index++) {
    parts.push(unboundSegment(template.segments[index] as Segment, claim, parameters));
  }
  return { path: `/${parts.join("/")}${template.verb === undefined ? "" : `:${template.verb}`}`, parameters };
}

function unboundSegment(segment: Segment, claim: (wanted: string) => string, parameters: PathParameter[]): string {
  if (segment.kind === "literal") {
    return segment.value;
  }
  const { kind } = segment;
  const name = claim("segment");
  parameters.push({
    name,
    field: undefined,
    multiSegment: kind === "deep-wildcard",
    description:
      kind === "deep-wildcard" ? 'Any segments (their "/" unencoded); no request field is set from them.' : "Any one segment; no request field is set from it.",
  });
  return `{${name}}`;
}

function variableSegments(binding: RestBinding, variable: TemplateVariable, claim: (wanted: string) => string, parameters: PathParameter[]): string[] {
  const fieldName = variable.fieldPath.join(".");
  const own = binding.template.segments.slice(variable.start, variable.end);
  const fields = binding.pathFields.get(fieldName) ?? [];
  if (own.length === 1 && own[0]?.kind !== "literal") {
    const name = claim(fieldName);
    const multiSegment = own[0]?.kind === "deep-wildcard";
    parameters.push({ name, field: fields.at(-1), multiSegment, description: multiSegment ? 'One or more segments, their "/" unencoded.' : "" });
    return [`{${name}}`];
  }
  const names: string[] = [];
  const parts = own.map((segment, i) => {
    if (segment.kind === "literal") {
      return segment.value;
    }
    const before = own[i - 1];
    const base = before?.kind === "literal" ? before.value.replace(/[^A-Za-z0-9_]/g, "_") : fieldName;
    const name = claim(`${base}${segment.kind === "wildcard" ? (before?.kind === "literal" ? "Id" : "") : "Path"}`);
    names.push(name);
    parameters.push({ name, field: undefined, multiSegment: segment.kind === "deep-wildcard", description: "" });
    return `{${name}}`;
  });
  const shape = parts.join("/");
  const description = `A segment of \`${fieldName}\`, which the server sets to the URL's \`${shape}\` (the template's \`{${fieldName}=${own.map(text).join("/")}}\`).`;
  for (const name of names) {
    const index = parameters.findIndex((parameter) => parameter.name === name);
    const parameter = parameters[index] as PathParameter;
    parameters[index] = {
      ...parameter,
      description: parameter.multiSegment ? `${description} Zero or more segments, their "/" unencoded.` : description,
    };
  }
  return parts;
}

function text(segment: Segment): string {
  return segment.kind === "literal" ? segment.value : segment.kind === "wildcard" ? "*" : "**";
}
