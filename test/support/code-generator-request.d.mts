import type { CodeGeneratorRequest } from "@bufbuild/protobuf/wkt";

/** Builds the CodeGeneratorRequest `buf generate` would send a plugin for the proto root `input`. */
export declare function buildRequest(input: string, options?: { readonly parameter?: string; readonly paths?: readonly string[] }): CodeGeneratorRequest;
