/**
 * `@stubwright/runtime/reflection`: the grpc.reflection v1 and v1alpha
 * services, answered from the descriptors protoc-gen-es embeds.
 */
export { addReflectionService, type ReflectionOptions } from "./reflection-service.js";
export { createDescriptorIndex, withDependencies, type DescriptorIndex } from "./descriptor-index.js";
