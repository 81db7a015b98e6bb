import type { DescField, DescMessage } from "@bufbuild/protobuf";
import { isFieldBound, takesText, type RestBinding } from "@stubwright/runtime/http-rules";
import type { CommentIndex } from "../docs/comments.js";
import { withDescription, type JsonSchema, type SchemaCollector } from "./json-schemas.js";
import { openApiPath } from "./openapi-path.js";

/** An OpenAPI Operation Object, as a plain object. */
export type Operation = { [key: string]: unknown };

/** One binding as OpenAPI: its path, HTTP method (lower case) and operation. */
export interface OpenApiOperation {
  readonly path: string;
  readonly httpMethod: string;
  readonly operation: Operation;
}

/** Where an error's schema is: google.rpc.Status as JSON. */
export interface OperationContext {
  readonly schemas: SchemaCollector;
  readonly comments: CommentIndex;
  readonly statusSchema: JsonSchema;
}

const errorDescription = "An error: google.rpc.Status as JSON, with the HTTP status of its code.";

/**
 * The operation of one binding (`index` 0 is the rule itself, then its
 * additional bindings): path parameters, query parameters for every field
 * that neither the path nor the body sets, the request body per `body`, the
 * response per `response_body` (newline-delimited JSON for a server stream)
 * and google.rpc.Status as the default response.
 */
export function createOperation(binding: RestBinding, index: number, context: OperationContext): OpenApiOperation {
  const { method } = binding;
  const { path, parameters: pathParameters } = openApiPath(binding);
  const { schemas, comments } = context;
  const operation: Operation = {
    tags: [method.parent.typeName],
    operationId: `${method.parent.name}_${method.name}${index === 0 ? "" : `_${index}`}`,
  };
  const description = comments.comment(method);
  if (description !== "") {
    operation.description = description;
  }
  if (method.deprecated || method.parent.deprecated || method.parent.file.deprecated) {
    operation.deprecated = true;
  }
  const parameters = [
    ...pathParameters.map((parameter) => {
      const text = parameterDescription(parameter.description, parameter.field, comments);
      return {
        name: parameter.name,
        in: "path",
        required: true,
        ...(text === "" ? {} : { description: text }),
        schema: parameter.field === undefined ? { type: "string" } : stripDescription(schemas.field(parameter.field)),
      };
    }),
    ...queryParameters(binding, schemas, comments),
  ];
  if (parameters.length > 0) {
    operation.parameters = parameters;
  }
  const body = requestBody(binding, schemas);
  if (body !== undefined) {
    operation.requestBody = { required: true, content: { "application/json": { schema: body } } };
  }
  operation.responses = {
    "200": successResponse(binding, context),
    default: { description: errorDescription, content: { "application/json": { schema: context.statusSchema } } },
  };
  return { path, httpMethod: binding.httpMethod.toLowerCase(), operation };
}

function successResponse(binding: RestBinding, context: OperationContext): Operation {
  const { method, responseBody } = binding;
  const schema = responseBody === undefined ? context.schemas.message(method.output) : context.schemas.field(responseBody);
  if (method.methodKind === "server_streaming") {
    return {
      description: 'A stream: one JSON object per line, {"result": <message>} per message; a failure ends it with {"error": <google.rpc.Status>}.',
      content: {
        "application/x-ndjson": {
          schema: {
            type: "object",
            properties: { result: schema, error: context.statusSchema },
            oneOf: [{ required: ["result"] }, { required: ["error"] }],
          },
        },
      },
    };
  }
  return {
    description: `${method.output.typeName}${responseBody === undefined ? "" : `'s ${responseBody.name}`} as JSON.`,
    content: { "application/json": { schema } },
  };
}

function requestBody(binding: RestBinding, schemas: SchemaCollector): JsonSchema | undefined {
  const { body, method } = binding;
  switch (body.kind) {
    case "none":
      return undefined;
    case "field":
      return schemas.field(body.field);
    case "all": {
      // The path's top-level fields are not in the body.
      const omit = new Set([...binding.pathFields.values()].filter((fields) => fields.length === 1).map((fields) => fields[0] as DescField));
      return omit.size === 0
        ? schemas.message(method.input)
        : withDescription(schemas.messageObject(method.input, omit), `${method.input.typeName} without the fields in the path.`);
    }
  }
}

/**
 * A query parameter for every field a query can set and the path and body
 * do not: nested fields by their dotted JSON names (`filter.pages.min`),
 * repeated ones as `x=1&x=2`. Messages are entered once per path, so a
 * recursive message does not recurse here.
 */
function queryParameters(binding: RestBinding, schemas: SchemaCollector, comments: CommentIndex): Operation[] {
  const parameters: Operation[] = [];
  const walk = (message: DescMessage, prefix: readonly DescField[], entered: ReadonlySet<string>): void => {
    for (const field of message.fields) {
      const fields = [...prefix, field];
      if (isFieldBound(binding, fields)) {
        continue;
      }
      if (takesText(field)) {
        const schema = stripDescription(schemas.field(field));
        parameters.push({
          name: fields.map((f) => f.jsonName).join("."),
          in: "query",
          ...(comments.comment(field) === "" ? {} : { description: comments.comment(field) }),
          ...(field.deprecated ? { deprecated: true } : {}),
          schema,
          ...(field.fieldKind === "list" ? { style: "form", explode: true } : {}),
        });
      } else if (field.fieldKind === "message" && !entered.has(field.message.typeName) && !field.message.typeName.startsWith("google.protobuf.")) {
        walk(field.message, fields, new Set([...entered, field.message.typeName]));
      }
    }
  };
  walk(binding.method.input, [], new Set([binding.method.input.typeName]));
  return parameters;
}

function parameterDescription(own: string, field: DescField | undefined, comments: CommentIndex): string {
  return [field === undefined ? "" : comments.comment(field), own].filter((part) => part !== "").join("\n\n");
}

/** A parameter's schema without the field comment, which the parameter's description carries. */
function stripDescription(schema: JsonSchema): JsonSchema {
  const { description: _description, ...rest } = schema;
  return rest;
}
