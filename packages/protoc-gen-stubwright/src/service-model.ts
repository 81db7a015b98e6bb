import type { DescFile, DescMethod, DescService } from "@bufbuild/protobuf";
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import { claimNames, type NameClaim } from "./claim-names.js";

/** The names and methods one service contributes to a generated file. */
export interface ServiceModel {
  readonly desc: DescService;
  /** True when the service or its file is deprecated. */
  readonly deprecated: boolean;
  /** `FooDefinition`: the grpc-js service definition, made from protoc-gen-es's `GenService`. */
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
  /** True when the method, its service or its file is deprecated. */
  readonly deprecated: boolean;
  /** Property name in the definition, the client and the handlers. */
  readonly key: string;
  /** True when `key` must be quoted: not an identifier, or `new`. */
  readonly quoted: boolean;
  /**
   * True when `key` differs from the key the runtime gives the method when
   * it converts the `GenService`: protobuf-es's local name, with `$` after
   * `then` and `__proto__`. The generated definition then names its key.
   */
  readonly renamed: boolean;
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
 * file and depend only on the names declared in it, not on their order (see
 * claim-names.ts): when two services want the same factory name, the one
 * whose name is already upper camel case keeps it; when two methods meet
 * after lowerCamelCase, the one spelled that way keeps it and the others are
 * named exactly as in the proto.
 */
export function createServiceModels(file: DescFile): ServiceModel[] {
  const claims = file.services.flatMap((service): NameClaim[] => {
    const owner = service.name;
    const upper = upperFirst(service.name);
    return [
      { rank: 0, owner, candidates: [`${service.name}Definition`] },
      { rank: 0, owner, candidates: [`${service.name}Client`] },
      { rank: 0, owner, candidates: [`${service.name}Handlers`] },
      { rank: upper === service.name ? 1 : 2, owner, candidates: [`create${upper}Client`, `create${service.name}Client`] },
    ];
  });
  const names = claimNames(claims);
  return file.services.map((service, index) => {
    const [definitionName, clientName, handlersName, createClientName] = names.slice(index * 4, index * 4 + 4) as [string, string, string, string];
    const deprecated = service.deprecated || file.deprecated;
    return {
      desc: service,
      deprecated,
      definitionName,
      clientName,
      createClientName,
      handlersName,
      methods: createMethodModels(service, deprecated),
    };
  });
}

function createMethodModels(service: DescService, serviceDeprecated: boolean): MethodModel[] {
  const keys = claimNames(
    service.methods.map((method): NameClaim => {
      const camel = lowerFirst(protoCamelCase(method.name));
      return {
        rank: method.name === camel ? 0 : method.name === upperFirst(camel) ? 1 : 2,
        owner: method.name,
        candidates: [safeProperty(camel), safeProperty(method.name)],
      };
    }),
  );
  return service.methods.map((method, index) => {
    const key = keys[index]!;
    return {
      desc: method,
      deprecated: method.deprecated || serviceDeprecated,
      key,
      // In an interface, `new(...)` would declare a construct signature.
      quoted: !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) || key === "new",
      renamed: key !== runtimeKey(method.localName),
    };
  });
}

/** The runtime's key for a method of a `GenService` (see `ServiceDefinitionOf` in the runtime). */
function runtimeKey(localName: string): string {
  return localName === "then" || localName === "__proto__" ? `${localName}$` : localName;
}

function safeProperty(name: string): string {
  return unsafeProperties.has(name) ? `${name}$` : name;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function upperFirst(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
