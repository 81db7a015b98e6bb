import { getOption, hasOption, type DescField, type DescMethod } from "@bufbuild/protobuf";
import { http } from "../gen/google/api/annotations_pb.js";
import type { HttpRule } from "../gen/google/api/http_pb.js";
import { resolveFieldPath } from "./field-path.js";
import { createPathMatcher, type PathMatcher } from "./path-matcher.js";
import { parsePathTemplate, type PathTemplate } from "./path-template.js";

/** Where a binding takes the HTTP request body: nowhere, the whole request (`*`) or one top-level field. */
export type BodyMapping = { readonly kind: "none" } | { readonly kind: "all" } | { readonly kind: "field"; readonly field: DescField };

/** One HTTP route of a method: a google.api.http rule or one of its additional bindings, checked. */
export interface RestBinding {
  readonly method: DescMethod;
  /** The HTTP method in upper case (`GET`, or a custom kind such as `HEAD`); `*` matches any. */
  readonly httpMethod: string;
  readonly template: PathTemplate;
  readonly match: PathMatcher;
  /** The request fields each path variable sets, by its dotted field path. */
  readonly pathFields: ReadonlyMap<string, readonly DescField[]>;
  readonly body: BodyMapping;
  /** The response field sent as the HTTP body (`response_body`); the whole response when undefined. */
  readonly responseBody: DescField | undefined;
}

/** An annotation that cannot be served; the message names the file, service, method and rule. */
export class HttpRuleError extends Error {
  override name = "HttpRuleError";
}

/**
 * Reads a method's `google.api.http` rule and its `additional_bindings` into
 * bindings, checking each against the request and response types: path
 * variables name existing singular scalar or enum fields, `body` names a
 * non-repeated top-level field and `response_body` a top-level field. A method without the option has
 * none. Throws an {@link HttpRuleError} for a rule that cannot be served.
 */
export function readRestBindings(method: DescMethod): RestBinding[] {
  if (!hasOption(method, http)) {
    return [];
  }
  const rule = getOption(method, http);
  const bindings = [toBinding(method, rule)];
  for (const additional of rule.additionalBindings) {
    if (additional.additionalBindings.length > 0) {
      throw ruleError(method, additional, "additional_bindings must not have additional_bindings of their own");
    }
    bindings.push(toBinding(method, additional));
  }
  return bindings;
}

function toBinding(method: DescMethod, rule: HttpRule): RestBinding {
  const { httpMethod, path } = patternOf(method, rule);
  let template: PathTemplate;
  try {
    template = parsePathTemplate(path);
  } catch (error) {
    throw ruleError(method, rule, (error as Error).message);
  }
  const pathFields = new Map<string, readonly DescField[]>();
  for (const variable of template.variables) {
    pathFields.set(variable.fieldPath.join("."), pathField(method, rule, variable.fieldPath));
  }
  return {
    method,
    httpMethod,
    template,
    match: createPathMatcher(template),
    pathFields,
    body: bodyOf(method, rule),
    responseBody: rule.responseBody === "" ? undefined : topLevelField(method, rule, "response_body", rule.responseBody),
  };
}

function patternOf(method: DescMethod, rule: HttpRule): { httpMethod: string; path: string } {
  const { pattern } = rule;
  if (pattern.case === undefined) {
    throw ruleError(method, rule, "it sets no pattern (get, put, post, delete, patch or custom)");
  }
  if (pattern.case === "custom") {
    if (pattern.value.kind === "") {
      throw ruleError(method, rule, "its custom pattern has no kind");
    }
    return { httpMethod: pattern.value.kind.toUpperCase(), path: pattern.value.path };
  }
  return { httpMethod: pattern.case.toUpperCase(), path: pattern.value };
}

/** The fields a path variable sets: it must end in a singular scalar or enum field. */
function pathField(method: DescMethod, rule: HttpRule, path: readonly string[]): DescField[] {
  let fields: DescField[];
  try {
    fields = resolveFieldPath(method.input, path);
  } catch (error) {
    throw ruleError(method, rule, `path variable {${path.join(".")}}: ${(error as Error).message}`);
  }
  const leaf = fields.at(-1) as DescField;
  if (leaf.fieldKind !== "scalar" && leaf.fieldKind !== "enum") {
    throw ruleError(method, rule, `path variable {${path.join(".")}}: a path variable must be a singular scalar or enum field, not a ${leaf.fieldKind}`);
  }
  return fields;
}

function bodyOf(method: DescMethod, rule: HttpRule): BodyMapping {
  if (rule.body === "") {
    return { kind: "none" };
  }
  if (rule.body === "*") {
    return { kind: "all" };
  }
  const field = topLevelField(method, rule, "body", rule.body);
  // http.proto: the body is "*" or one top-level field; a JSON array or object
  // of a repeated or map field would leave nothing to name the request by.
  if (field.fieldKind === "list" || field.fieldKind === "map") {
    throw ruleError(
      method,
      rule,
      `body "${rule.body}" is a ${field.fieldKind === "list" ? "repeated" : "map"} field; it must be "*" or a non-repeated top-level field`,
    );
  }
  return { kind: "field", field };
}

function topLevelField(method: DescMethod, rule: HttpRule, option: string, name: string): DescField {
  const message = option === "body" ? method.input : method.output;
  const field = message.fields.find((candidate) => candidate.name === name);
  if (field === undefined) {
    throw ruleError(method, rule, `${option} "${name}" is not a top-level field of ${message.typeName}`);
  }
  return field;
}

function ruleError(method: DescMethod, rule: HttpRule, reason: string): HttpRuleError {
  return new HttpRuleError(
    `${method.parent.file.proto.name}: rpc ${method.parent.typeName}.${method.name}: google.api.http rule ${describeRule(rule)}: ${reason}`,
  );
}

/** The rule as a reader finds it in the .proto file, e.g. `get: "/v1/{name}"`. */
function describeRule(rule: HttpRule): string {
  const { pattern } = rule;
  if (pattern.case === "custom") {
    return `custom: {kind: "${pattern.value.kind}" path: "${pattern.value.path}"}`;
  }
  return pattern.case === undefined ? "(no pattern)" : `${pattern.case}: "${pattern.value}"`;
}

/**
 * Whether the path or the body of `binding` already sets the field that
 * `fields` (a field path from the request) leads to, a field it lies in, or
 * one within it: query parameters do not set those.
 */
export function isFieldBound(binding: RestBinding, fields: readonly DescField[]): boolean {
  if (binding.body.kind === "all" || (binding.body.kind === "field" && fields[0] === binding.body.field)) {
    return true;
  }
  for (const bound of binding.pathFields.values()) {
    const shorter = Math.min(bound.length, fields.length);
    if (bound.slice(0, shorter).every((field, index) => field === fields[index])) {
      return true;
    }
  }
  return false;
}
