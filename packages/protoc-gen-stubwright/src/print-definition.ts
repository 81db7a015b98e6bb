import type { DescMethod } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { Printable, Target } from "@bufbuild/protoplugin";
import { key } from "./print-interfaces.js";
import type { ServiceModel } from "./service-model.js";
import type { FileSymbols } from "./symbols.js";

/** The runtime helper that defines a method of each kind, and the type it returns. */
const byKind: Record<DescMethod["methodKind"], { readonly helper: string; readonly type: string }> = {
  unary: { helper: "unaryMethod", type: "UnaryMethodDefinition" },
  server_streaming: { helper: "serverStreamingMethod", type: "ServerStreamingMethodDefinition" },
  client_streaming: { helper: "clientStreamingMethod", type: "ClientStreamingMethodDefinition" },
  bidi_streaming: { helper: "bidiStreamingMethod", type: "BidiStreamingMethodDefinition" },
};

/**
 * The idempotency argument of a method definition, from the method's
 * `idempotency_level` option: clients derive their retry policy from it
 * (only methods safe to repeat are retried). Omitted when not declared.
 */
function idempotencyArgument(method: DescMethod): string {
  switch (method.idempotency) {
    case MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS:
      return ', "no_side_effects"';
    case MethodOptions_IdempotencyLevel.IDEMPOTENT:
      return ', "idempotent"';
    default:
      return "";
  }
}

/**
 * Prints the grpc-js service definition: one entry per method with its path,
 * kind and serializers. ts and dts declare its type (so declarations can be
 * emitted file by file, under `isolatedDeclarations`), ts and js build the
 * value. Every call is marked pure, so a bundler drops unused definitions.
 */
export function printDefinition(s: FileSymbols, service: ServiceModel, target: Target): void {
  const { f } = s;
  f.print(
    f.jsDoc(
      `The grpc-js service definition of ${service.desc.typeName}: serve it with\n` +
        `\`createServer().add(${service.definitionName}, handlers)\` or grpc-js's \`Server#addService\`,\n` +
        `call it with ${service.createClientName}() or grpc-js's \`makeGenericClientConstructor\`.` +
        (service.deprecated ? "\n\n@deprecated" : ""),
    ),
  );
  switch (target) {
    case "ts":
      f.print(f.export("const", service.definitionName), ": ", definitionType(s, service), " = ", definitionValue(s, service), ";");
      break;
    case "js":
      f.print(f.export("const", service.definitionName), " = ", definitionValue(s, service), ";");
      break;
    case "dts":
      f.print(f.export("declare const", service.definitionName), ": ", definitionType(s, service), ";");
      break;
  }
  f.print();
}

/** `{ readonly getFoo: UnaryMethodDefinition<typeof FooRequestSchema, typeof FooResponseSchema>; ... }` */
function definitionType(s: FileSymbols, service: ServiceModel): Printable {
  if (service.methods.length === 0) {
    return "{}";
  }
  const members: Printable[] = ["{\n"];
  for (const method of service.methods) {
    const { input, output, methodKind } = method.desc;
    if (method.deprecated) {
      members.push(s.f.jsDoc("@deprecated", "  "), "\n");
    }
    members.push("  readonly ", key(method), ": ", s.runtime(byKind[methodKind].type, true), "<", s.schemaType(input), ", ", s.schemaType(output), ">;\n");
  }
  members.push("}");
  return members;
}

/** `{ getFoo: /*@__PURE__*\/ unaryMethod("/pkg.Foo/GetFoo", FooRequestSchema, FooResponseSchema), ... }` */
function definitionValue(s: FileSymbols, service: ServiceModel): Printable {
  if (service.methods.length === 0) {
    return "{}";
  }
  const entries: Printable[] = ["{\n"];
  for (const method of service.methods) {
    const { input, output, methodKind } = method.desc;
    entries.push(
      "  ",
      key(method),
      ": /*@__PURE__*/ ",
      s.runtime(byKind[methodKind].helper),
      "(",
      s.f.string(method.path),
      ", ",
      s.schemaValue(input),
      ", ",
      s.schemaValue(output),
      idempotencyArgument(method.desc),
      "),\n",
    );
  }
  entries.push("}");
  return entries;
}

/** Prints `createFooClient`, the typed client factory. */
export function printClientFactory(s: FileSymbols, service: ServiceModel, target: Target): void {
  const { f } = s;
  f.print(
    f.jsDoc(
      `Creates a client for ${service.desc.typeName}. \`source\` is an address such as\n` +
        '"127.0.0.1:50051" (plaintext unless `options.credentials` says otherwise), a grpc-js\n' +
        "`Client` whose channel is shared, or a grpc-js `Channel`." +
        (service.deprecated ? "\n\n@deprecated" : ""),
    ),
  );
  const printSignature = (keyword: string, end: string): void =>
    f.print(
      f.export(keyword, service.createClientName),
      "(source: ",
      s.runtime("ClientSource", true),
      ", options?: ",
      s.runtime("ClientOptions", true),
      "): ",
      service.clientName,
      end,
    );
  switch (target) {
    case "ts":
      printSignature("function", " {");
      f.print("  return ", s.runtime("createClient"), "(", service.definitionName, ", source, options);");
      f.print("}");
      break;
    case "js":
      f.print(f.export("function", service.createClientName), "(source, options) {");
      f.print("  return ", s.runtime("createClient"), "(", service.definitionName, ", source, options);");
      f.print("}");
      break;
    case "dts":
      printSignature("declare function", ";");
      break;
  }
  f.print();
}
