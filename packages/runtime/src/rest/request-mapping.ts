import {
  create,
  fromJson,
  mergeFromJson,
  type DescField,
  type DescMessage,
  type JsonObject,
  type JsonReadOptions,
  type JsonValue,
  type Message,
} from "@bufbuild/protobuf";
import { Code } from "../code.js";
import { RpcError } from "../rpc-error.js";
import { isFieldBound, type RestBinding } from "./http-bindings.js";
import { setJsonPath } from "./json-object-path.js";
import type { PathBindings } from "./path-matcher.js";
import { queryToJson } from "./query-parameters.js";
import { textToJson } from "./text-to-json.js";

/** What an HTTP request brings to a binding: the path's variables, the query and the body's text. */
export interface RestRequestParts {
  readonly path: PathBindings;
  readonly query: URLSearchParams;
  /** The request body as text; empty when there is none. */
  readonly body: string;
}

/**
 * Builds the request message of a binding, per google/api/http.proto: the
 * body (all of the request for `body: "*"`, one field for `body: "field"`),
 * then the query parameters (only without `body: "*"`), then the path
 * variables, which win over both. Every conversion is protobuf-es's JSON
 * mapping (`mergeFromJson`). A request that does not convert fails with an
 * INVALID_ARGUMENT RpcError saying what is wrong.
 */
export function buildRequest(binding: RestBinding, parts: RestRequestParts, options: Partial<JsonReadOptions>): Message {
  const input = binding.method.input;
  const message = create(input);
  try {
    const body = bodyJson(binding, parts.body);
    if (body !== undefined) {
      mergeFromJson(input, message, body, options);
    }
    if (binding.body.kind !== "all") {
      mergeQuery(binding, message, parts.query, options);
    }
    mergeFromJson(input, message, pathJson(binding, parts.path), options);
  } catch (error) {
    throw new RpcError(Code.INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
  }
  return message;
}

/**
 * Merges the query parameters' fields. When they do not convert, finds the
 * parameter at fault (only then, one by one) so the error can name it:
 * protobuf-es's message names the field's type but not always the field.
 */
function mergeQuery(binding: RestBinding, message: Message, query: URLSearchParams, options: Partial<JsonReadOptions>): void {
  const input = binding.method.input;
  const bound = (fields: readonly DescField[]): boolean => isFieldBound(binding, fields);
  try {
    mergeFromJson(input, message, queryToJson(input, query, bound), options);
  } catch (error) {
    throw new Error(`${culprit(input, query, bound)}${(error as Error).message}`);
  }
}

/** `query parameter "name": ` for the first parameter that fails on its own, or nothing. */
function culprit(input: DescMessage, query: URLSearchParams, bound: (fields: readonly DescField[]) => boolean): string {
  for (const [name, value] of query) {
    try {
      fromJson(input, queryToJson(input, new URLSearchParams([[name, value]]), bound));
    } catch {
      return `query parameter "${name}": `;
    }
  }
  return "";
}

/** The JSON the body contributes, as JSON of the whole request; undefined without a body. */
function bodyJson(binding: RestBinding, text: string): JsonValue | undefined {
  if (binding.body.kind === "none" || text.trim() === "") {
    return undefined;
  }
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`the request body is not JSON: ${(error as Error).message}`);
  }
  return binding.body.kind === "all" ? parsed : { [binding.body.field.jsonName]: parsed };
}

function pathJson(binding: RestBinding, path: PathBindings): JsonObject {
  const json: JsonObject = {};
  for (const [name, value] of path) {
    const fields = binding.pathFields.get(name);
    if (fields !== undefined) {
      setJsonPath(json, fields, textToJson(fields.at(-1) as DescField, value), name);
    }
  }
  return json;
}
