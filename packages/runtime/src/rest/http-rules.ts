/**
 * `@stubwright/runtime/http-rules`: reads and checks `google.api.http` rules
 * against their methods, exactly as the REST handler and gateway do, without
 * loading anything of grpc-js. protoc-gen-stubwright uses it to report a rule
 * that cannot be served as a generation error, and protoc-gen-stubwright-openapi
 * to describe the routes. See docs/rest-gateway.md.
 */
export { readRestBindings, isFieldBound, HttpRuleError, type BodyMapping, type RestBinding } from "./http-bindings.js";
export { PathTemplateError, type PathTemplate, type TemplateSegment, type TemplateVariable } from "./path-template.js";
export { splitRouteConflicts, type RouteConflict } from "./route-conflicts.js";
export { takesText } from "./text-to-json.js";
