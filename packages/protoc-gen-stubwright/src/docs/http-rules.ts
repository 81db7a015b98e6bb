import { getOption, hasOption, type DescMethod, type FileRegistry, type Message } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import type { HttpRoute } from "./doc-model.js";

/** Reads the HTTP routes a method declares with the `google.api.http` option. */
export type HttpRouteReader = (method: DescMethod) => readonly HttpRoute[];

/** The option's full name; its descriptor is in the request whenever a file uses it (it must import it). */
const httpOptionName = "google.api.http";
const verbs = ["get", "put", "post", "delete", "patch"] as const;

/**
 * Creates a reader of `google.api.http` over the request's own descriptors
 * (`registry`): protobuf-es parses the option from the method options'
 * unknown fields with the extension google/api/annotations.proto declares.
 * A request without that file has no routes. An option that does not parse
 * throws an Error naming the file and method.
 */
export function createHttpRouteReader(registry: FileRegistry): HttpRouteReader {
  const extension = registry.getExtension(httpOptionName);
  if (extension === undefined || extension.fieldKind !== "message" || extension.extendee.typeName !== "google.protobuf.MethodOptions") {
    return () => [];
  }
  return (method) => {
    try {
      if (!hasOption(method, extension)) {
        return [];
      }
      // The extension was found by name at run time, so its value type is only known to be a message.
      const rule = reflect(extension.message, getOption(method, extension) as Message);
      return [rule, ...repeatedMessages(rule, "additional_bindings")].flatMap(toRoute);
    } catch (error) {
      throw new Error(
        `${method.parent.file.proto.name}: rpc ${method.parent.typeName}.${method.name}: option (${httpOptionName}) cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}

/** The route of one HttpRule (without its additional bindings); none when it sets no pattern. */
function toRoute(rule: ReflectMessage): HttpRoute[] {
  const body = optionalString(rule, "body");
  const responseBody = optionalString(rule, "response_body");
  for (const verb of verbs) {
    const path = optionalString(rule, verb);
    if (path !== undefined) {
      return [{ verb: verb.toUpperCase(), path, body, responseBody }];
    }
  }
  const custom = field(rule, "custom");
  if (custom !== undefined && custom.fieldKind === "message" && rule.isSet(custom)) {
    const pattern = rule.get(custom);
    return [{ verb: optionalString(pattern, "kind") ?? "", path: optionalString(pattern, "path") ?? "", body, responseBody }];
  }
  return [];
}

function field(message: ReflectMessage, name: string) {
  return message.fields.find((f) => f.name === name);
}

function optionalString(message: ReflectMessage, name: string): string | undefined {
  const f = field(message, name);
  if (f === undefined || f.fieldKind !== "scalar" || !message.isSet(f)) {
    return undefined;
  }
  const value = message.get(f);
  return typeof value === "string" ? value : undefined;
}

function repeatedMessages(message: ReflectMessage, name: string): ReflectMessage[] {
  const f = field(message, name);
  if (f === undefined || f.fieldKind !== "list" || f.listKind !== "message") {
    return [];
  }
  return [...message.get(f)] as ReflectMessage[];
}
