import type { Printable } from "@bufbuild/protoplugin";
import { docBlock } from "./doc.js";
import { hasUnservedHttpRule } from "./http-rule-check.js";
import type { MethodModel, ServiceModel } from "./service-model.js";
import type { FileSymbols } from "./symbols.js";

/**
 * Prints the client interface and the handlers interface of a service. They
 * are the same in TypeScript and in declaration files. Members are properties
 * of function type rather than methods: TypeScript checks the parameters of
 * a property strictly, while a method's are bivariant, so a handler or a fake
 * client that accepts a narrower request than declared would slip through.
 */
export function printInterfaces(s: FileSymbols, service: ServiceModel): void {
  printClientInterface(s, service);
  printHandlersInterface(s, service);
}

function printClientInterface(s: FileSymbols, service: ServiceModel): void {
  const { f } = s;
  const callOptions = s.runtime("CallOptions", true);
  f.print(docBlock(f, service.desc, "", service.deprecated, `A client for ${service.desc.typeName}; create one with ${service.createClientName}().`));
  f.print(f.export("interface", service.clientName), " {");
  for (const method of service.methods) {
    const { input, output } = method.desc;
    f.print(docBlock(f, method.desc, "  ", method.deprecated));
    // readonly, as the runtime's clients are: their methods cannot be replaced.
    switch (method.desc.methodKind) {
      case "unary":
        f.print("  readonly ", key(method), ": (request: ", s.init(input), ", options?: ", callOptions, ") => Promise<", s.shape(output), ">;");
        break;
      case "server_streaming":
        f.print("  readonly ", key(method), ": (request: ", s.init(input), ", options?: ", callOptions, ") => AsyncIterable<", s.shape(output), ">;");
        break;
      case "client_streaming":
        f.print("  readonly ", key(method), ": (requests: AsyncIterable<", s.init(input), ">, options?: ", callOptions, ") => Promise<", s.shape(output), ">;");
        break;
      case "bidi_streaming":
        f.print(
          "  readonly ",
          key(method),
          ": (requests: AsyncIterable<",
          s.init(input),
          ">, options?: ",
          callOptions,
          ") => AsyncIterable<",
          s.shape(output),
          ">;",
        );
        break;
    }
  }
  f.print("}");
  f.print();
}

function printHandlersInterface(s: FileSymbols, service: ServiceModel): void {
  const { f } = s;
  const context = s.runtime("ServerCallContext", true);
  const maybePromise = s.runtime("MaybePromise", true);
  f.print(
    docBlock(
      f,
      service.desc,
      "",
      service.deprecated,
      `Server handlers for ${service.desc.typeName}: serve them with\n` +
        `\`createServer().add(${service.definitionName}, handlers)\`. A handler may return a message\n` +
        "or a plain object of its fields; streaming handlers are async generators.\n" +
        `An object typed \`${service.handlersName}\` must implement every method; \`add\` also takes a\n` +
        `\`Partial<${service.handlersName}>\`, and the methods it leaves out answer UNIMPLEMENTED.`,
    ),
  );
  f.print(f.export("interface", service.handlersName), " {");
  for (const method of service.methods) {
    const { input, output } = method.desc;
    f.print(docBlock(f, method.desc, "  ", method.deprecated, restNote(method)));
    switch (method.desc.methodKind) {
      case "unary":
        f.print("  ", key(method), ": (request: ", s.shape(input), ", context: ", context, ") => ", maybePromise, "<", s.init(output), ">;");
        break;
      case "server_streaming":
        f.print("  ", key(method), ": (request: ", s.shape(input), ", context: ", context, ") => AsyncIterable<", s.init(output), ">;");
        break;
      case "client_streaming":
        f.print("  ", key(method), ": (requests: AsyncIterable<", s.shape(input), ">, context: ", context, ") => ", maybePromise, "<", s.init(output), ">;");
        break;
      case "bidi_streaming":
        f.print("  ", key(method), ": (requests: AsyncIterable<", s.shape(input), ">, context: ", context, ") => AsyncIterable<", s.init(output), ">;");
        break;
    }
  }
  f.print("}");
  f.print();
}

/** Says so on a handler whose method has a google.api.http rule that REST does not serve. */
function restNote(method: MethodModel): string | undefined {
  return hasUnservedHttpRule(method.desc)
    ? `Not served over REST: its google.api.http rule is ignored, as ${method.desc.methodKind.replace("_", "-")} methods are (only unary and server-streaming ones are).`
    : undefined;
}

/** The property name of a method, quoted when it is not an identifier. */
export function key(method: MethodModel): Printable {
  return method.quoted ? JSON.stringify(method.key) : method.key;
}
