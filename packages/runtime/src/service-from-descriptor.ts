import type { DescMethod, DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import { defineMethod, type MethodDefinition, type ServiceDefinition } from "./method-definition.js";
import type { Idempotency } from "./method-info.js";

/**
 * What `createClient` and `server.add` accept: a service descriptor from
 * protoc-gen-es (`GenService`, or any `DescService`), or a service definition
 * such as the generated `FooDefinition`.
 */
export type ServiceLike = ServiceDefinition | DescService;

/** The method definition a method descriptor stands for. */
export type MethodDefinitionOf<M extends DescMethod> = MethodDefinition<M["input"], M["output"], M["methodKind"]>;

/**
 * The service definition that `S` stands for: `S` itself when it is one, else
 * one method definition per method of the descriptor, keyed by its local
 * name, e.g. `{ echo: UnaryMethodDefinition<...> }` for a
 * `GenService<{ echo: { methodKind: "unary"; ... } }>`. `then` and
 * `__proto__` get a `$`, as in generated code: a `then` member would make a
 * client thenable (awaiting it would call the RPC). protobuf-es already
 * escapes `constructor`, `toString`, `toJSON` and `valueOf`.
 */
export type ServiceDefinitionOf<S extends ServiceLike> = S extends DescService
  ? EscapeUnsafeKeys<{ readonly [K in keyof S["method"]]: MethodDefinitionOf<S["method"][K]> }>
  : S;

/**
 * `D` with `then` and `__proto__` renamed `then$` and `__proto__$`. Omit and
 * a plain mapped type, rather than one remapping every key, keep each
 * member's JSDoc (and `@deprecated`) from protoc-gen-es's declarations.
 */
type EscapeUnsafeKeys<D> = Omit<D, UnsafeKey> & { readonly [K in keyof D & UnsafeKey as `${K}$`]: D[K] };

type UnsafeKey = "then" | "__proto__";

/** The descriptor each method definition was made from, for what reads its options (the REST gateway). */
const descriptors = new WeakMap<MethodDefinition, DescMethod>();

/**
 * The method descriptor a definition was made from (by
 * {@link toServiceDefinition} or {@link defineService}); `undefined` for one
 * defined by hand, without a descriptor.
 */
export function methodDescriptor(method: MethodDefinition): DescMethod | undefined {
  return descriptors.get(method);
}

/** Definitions by descriptor, so each descriptor is converted once however many clients use it. */
const converted = new WeakMap<DescService, ServiceDefinition>();

/**
 * The service definition of `service`: a definition is returned as is, a
 * descriptor is converted once and the same definition returned after.
 */
export function toServiceDefinition<S extends ServiceLike>(service: S): ServiceDefinitionOf<S> {
  if (!isDescService(service)) {
    return service as ServiceDefinitionOf<S>;
  }
  let definition = converted.get(service);
  if (definition === undefined) {
    definition = convert(service, undefined);
    converted.set(service, definition);
  }
  return definition as ServiceDefinitionOf<S>;
}

/**
 * Defines a service from its protoc-gen-es descriptor; used by generated
 * code. Without `keys` it is {@link toServiceDefinition}. `keys` names
 * methods (by their name in the .proto file) whose generated property name
 * differs from their local name (escaped as in {@link ServiceDefinitionOf}); the generated code then
 * states the definition's type itself, which the result is cast to.
 */
export function defineService<S extends DescService>(service: S): ServiceDefinitionOf<S>;
export function defineService<D extends ServiceDefinition>(service: DescService, keys: Readonly<Record<string, string>>): D;
export function defineService(service: DescService, keys?: Readonly<Record<string, string>>): ServiceDefinition {
  return keys === undefined ? toServiceDefinition(service) : convert(service, keys);
}

function convert(service: DescService, keys: Readonly<Record<string, string>> | undefined): ServiceDefinition {
  const definition: Record<string, MethodDefinition> = {};
  for (const method of service.methods) {
    const key = (keys !== undefined && Object.hasOwn(keys, method.name) ? keys[method.name] : undefined) ?? methodKey(method.localName);
    const taken = Object.hasOwn(definition, key) ? definition[key] : undefined;
    if (taken !== undefined) {
      // protobuf-es gives GetFoo and getFoo the same local name; serving one under the other's name would misroute calls.
      throw new TypeError(
        `${service.typeName}: methods ${taken.methodName} and ${method.name} both have the property name "${key}"; ` +
          "use the definition protoc-gen-stubwright generates, which names them apart",
      );
    }
    const defined = defineMethod(
      method.methodKind,
      `/${service.typeName}/${method.name}`,
      method.input,
      method.output,
      idempotencyOf(method),
      method.deprecated || service.deprecated || service.file.deprecated,
    );
    descriptors.set(defined, method);
    definition[key] = defined;
  }
  return definition;
}

function methodKey(localName: string): string {
  return localName === "then" || localName === "__proto__" ? `${localName}$` : localName;
}

function idempotencyOf(method: DescMethod): Idempotency {
  switch (method.idempotency) {
    case MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS:
      return "no_side_effects";
    case MethodOptions_IdempotencyLevel.IDEMPOTENT:
      return "idempotent";
    default:
      return "unknown";
  }
}

/**
 * Whether `service` is a descriptor rather than a definition. A definition
 * may have a method keyed `kind`, but its value is then a method definition,
 * never the string "service".
 */
function isDescService(service: ServiceLike): service is DescService {
  return (service as { kind?: unknown }).kind === "service";
}
