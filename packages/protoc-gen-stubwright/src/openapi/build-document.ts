import type { DescFile } from "@bufbuild/protobuf";
import { StatusSchema } from "@stubwright/runtime/error-details";
import { readRestBindings, splitRouteConflicts, type RestBinding } from "@stubwright/runtime/http-rules";
import type { CommentIndex } from "../docs/comments.js";
import { createSchemaCollector } from "./json-schemas.js";
import { createOperation, type Operation } from "./operations.js";

/** An OpenAPI 3.1 document, as a plain object in the order it is written. */
export type OpenApiDocument = { [key: string]: unknown };

/** The HTTP methods an OpenAPI 3.1 Path Item has a field for. */
const pathItemMethods = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

/**
 * The OpenAPI 3.1 document of a file's REST routes: every binding of its
 * unary and server-streaming methods (client streams are not served over
 * REST), checked as the REST handler checks them (an unservable rule
 * throws). A rule an earlier one shadows is left out, as the REST handler
 * never serves it, and `warn` hears why. Undefined when the file has no route. Paths follow the order of
 * the rules in the file; components are sorted by name, so the same
 * descriptors always give the same document.
 */
export function buildOpenApiDocument(file: DescFile, comments: CommentIndex, warn: (message: string) => void): OpenApiDocument | undefined {
  const declared: RestBinding[] = [];
  for (const method of file.services.flatMap((service) => service.methods)) {
    if (method.methodKind === "unary" || method.methodKind === "server_streaming") {
      declared.push(...readRestBindings(method));
    }
  }
  if (declared.length === 0) {
    return undefined;
  }
  const { reachable: bindings, conflicts } = splitRouteConflicts(declared);
  for (const conflict of conflicts) {
    warn(conflict.message);
  }
  const schemas = createSchemaCollector(comments);
  const context = { schemas, comments, statusSchema: schemas.message(StatusSchema) };
  const paths: Record<string, Record<string, unknown>> = {};
  const services = new Set<string>();
  for (const binding of bindings) {
    // The index among the method's own bindings: 0 for the rule, then its additional bindings.
    const index = declared.filter((other) => other.method === binding.method).indexOf(binding);
    const { path, httpMethod, operation } = createOperation(binding, index, context);
    const item = paths[path] ?? {};
    paths[path] = item;
    addOperation(item, httpMethod, operation, path);
    services.add(binding.method.parent.typeName);
  }
  const packageComment = comments.packageComment(file);
  return {
    openapi: "3.1.0",
    info: {
      title: file.proto.package === "" ? file.proto.name : file.proto.package,
      version: packageVersion(file.proto.package),
      ...(packageComment === "" ? {} : { description: packageComment }),
    },
    tags: file.services
      .filter((service) => services.has(service.typeName))
      .map((service) => {
        const description = comments.comment(service);
        return { name: service.typeName, ...(description === "" ? {} : { description }) };
      }),
    paths,
    components: { schemas: schemas.components() },
  };
}

/**
 * Puts an operation in its path item. A method OpenAPI 3.1 has no field for
 * (a `custom` kind such as `LIST`, or `*`) goes in the item's
 * `x-stubwright-operations` extension, by its name, so it is not lost.
 */
function addOperation(item: Record<string, unknown>, httpMethod: string, operation: Operation, path: string): void {
  const standard = pathItemMethods.has(httpMethod);
  if (!standard && item["x-stubwright-operations"] === undefined) {
    item["x-stubwright-operations"] = {};
  }
  const target = (standard ? item : item["x-stubwright-operations"]) as Record<string, unknown>;
  const key = standard ? httpMethod : httpMethod.toUpperCase();
  if (target[key] !== undefined) {
    throw new Error(`${String(operation.operationId)}: two operations for ${key.toUpperCase()} ${path}`);
  }
  target[key] = operation;
}

/** The API version from the package's last segment (`v1`, `v2beta1`), or "unversioned". */
function packageVersion(protoPackage: string): string {
  const last = protoPackage.split(".").at(-1) ?? "";
  return /^v\d/.test(last) ? last : "unversioned";
}
