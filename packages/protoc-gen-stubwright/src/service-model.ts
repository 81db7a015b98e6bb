import type { DescFile, DescMethod, DescService } from "@bufbuild/protobuf";
import { protoCamelCase } from "@bufbuild/protobuf/reflect";

/** The names and methods one service contributes to a generated file. */
export interface ServiceModel {
  readonly desc: DescService;
  /** `FooDefinition`: the grpc-js service definition. */
  readonly definitionName: string;
  /** `FooClient`: the client interface. */
  readonly clientName: string;
  /** `createFooClient`: the client factory. */
  readonly createClientName: string;
  /** `FooHandlers`: the server skeleton interface. */
  readonly handlersName: string;
  readonly methods: readonly MethodModel[];
}

/** One RPC as it appears in the generated code. */
export interface MethodModel {
  readonly desc: DescMethod;
  /** Property name in the definition, the client and the handlers. */
  readonly key: string;
  /** True when `key` must be quoted: not an identifier, or `new`. */
  readonly quoted: boolean;
  /** The HTTP/2 path, `/package.Service/Method`. */
  readonly path: string;
}

/**
 * Property names that would change how the object behaves: `then` makes a
 * client thenable (so `await`ing or returning it from an async function would
 * invoke the RPC), `__proto__` in an object literal sets the prototype, and
 * the rest shadow built-ins that libraries call. Like protobuf-es, we append
 * `$` to them.
 */
const unsafeProperties = new Set(["constructor", "toString", "toJSON", "valueOf", "then", "__proto__"]);

/**
 * Builds the model for every service of a file. Names are unique within the
 * file: a generated name that another service already produced gets a `$n`
 * suffix, and methods whose names collide after lowerCamelCase do too.
 */
export function createServiceModels(file: DescFile): ServiceModel[] {
  const taken = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let i = 1; taken.has(candidate); i++) {
      candidate = `${name}$${i}`;
    }
    taken.add(candidate);
    return candidate;
  };
  return file.services.map((service) => ({
    desc: service,
    definitionName: unique(`${service.name}Definition`),
    clientName: unique(`${service.name}Client`),
    createClientName: unique(`create${upperFirst(service.name)}Client`),
    handlersName: unique(`${service.name}Handlers`),
    methods: createMethodModels(service),
  }));
}

function createMethodModels(service: DescService): MethodModel[] {
  const taken = new Set<string>();
  return service.methods.map((method) => {
    let key = lowerFirst(protoCamelCase(method.name));
    if (unsafeProperties.has(key)) {
      key += "$";
    }
    const base = key;
    for (let i = 1; taken.has(key); i++) {
      key = `${base}$${i}`;
    }
    taken.add(key);
    return {
      desc: method,
      key,
      // In an interface, `new(...)` would declare a construct signature.
      quoted: !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) || key === "new",
      path: `/${service.typeName}/${method.name}`,
    };
  });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
