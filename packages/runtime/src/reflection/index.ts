export { addReflectionService, type ReflectionOptions } from "./reflection-service.js";
export { createDescriptorIndex, withDependencies, type DescriptorIndex } from "./descriptor-index.js";
