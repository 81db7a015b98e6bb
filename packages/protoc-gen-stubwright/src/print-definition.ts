import type { Printable, Target } from "@bufbuild/protoplugin";
import { key } from "./print-interfaces.js";
import type { MethodModel, ServiceModel } from "./service-model.js";
import type { FileSymbols } from "./symbols.js";

/**
 * Prints the service definition, which the runtime makes from protoc-gen-es's
 * `GenService` (paths, schemas, idempotency and deprecation all come from the
 * descriptor). ts and dts declare its type, so declarations can be emitted
 * file by file under `isolatedDeclarations`: derived from the `GenService`
 * when every key is the runtime's own, else stated method by method, since
 * protobuf-es's local names can collide. The call is marked pure, so a
 * bundler drops unused definitions.
 */
export function printDefinition(s: FileSymbols, service: ServiceModel, target: Target): void {
  const { f } = s;
  f.print(
    f.jsDoc(
      `The service definition of ${service.desc.typeName}, made from its descriptor: serve it with\n` +
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

/**
 * `ServiceDefinitionOf<typeof Foo>`, or with renamed keys
 * `{ readonly getFoo: MethodDefinition<typeof FooRequestSchema, typeof FooResponseSchema, "unary">; ... }`
 */
function definitionType(s: FileSymbols, service: ServiceModel): Printable {
  if (!service.methods.some((method) => method.renamed)) {
    return [s.runtime("ServiceDefinitionOf", true), "<", s.serviceType(service.desc), ">"];
  }
  const members: Printable[] = ["{\n"];
  for (const method of service.methods) {
    const { input, output, methodKind } = method.desc;
    if (method.deprecated) {
      members.push(s.f.jsDoc("@deprecated", "  "), "\n");
    }
    members.push(
      "  readonly ",
      key(method),
      ": ",
      s.runtime("MethodDefinition", true),
      "<",
      s.schemaType(input),
      ", ",
      s.schemaType(output),
      ", ",
      s.f.string(methodKind),
      ">;\n",
    );
  }
  members.push("}");
  return members;
}

/** `/*@__PURE__*\/ defineService(Foo)`, with the keys of renamed methods by proto name: `defineService(Foo, { Get_Foo: "Get_Foo" })`. */
function definitionValue(s: FileSymbols, service: ServiceModel): Printable {
  const call: Printable[] = ["/*@__PURE__*/ ", s.runtime("defineService"), "(", s.serviceValue(service.desc)];
  const renamed = service.methods.filter((method) => method.renamed);
  if (renamed.length > 0) {
    call.push(
      ", { ",
      renamed.flatMap((method, index) => [index === 0 ? "" : ", ", renameEntry(s, method)]),
      " }",
    );
  }
  call.push(")");
  return call;
}

/** `Name: "key"`; `["__proto__"]` is computed, since a literal `__proto__` key would set the prototype. */
function renameEntry(s: FileSymbols, method: MethodModel): Printable {
  const name = method.desc.name;
  return [name === "__proto__" ? `[${JSON.stringify(name)}]` : name, ": ", s.f.string(method.key)];
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
