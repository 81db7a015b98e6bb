export { createStubwrightPlugin } from "./plugin.js";
export { runPlugin } from "./run-plugin.js";
export { parseStubwrightOptions, type StubwrightOptions } from "./options.js";
export { version } from "./version.js";
export { createOpenApiPlugin } from "./openapi/plugin.js";
