/**
 * The `@stubwright/runtime/error-details` entry point: google.rpc.Status, the
 * standard error detail messages of google/rpc/error_details.proto and the
 * google.rpc.Code descriptor, as protobuf-es types and schemas.
 *
 * They live in a subpath, not in the main entry, because their generated names
 * (`Status`, `Help`, `BadRequest`, `Code`...) are generic and would crowd or
 * clash with the main API (`Code` is already the runtime's status code enum);
 * the subpath mirrors the proto package, like `@bufbuild/protobuf/wkt` does for
 * google.protobuf. The generated `Code` enum is left out on purpose: use
 * `Code` from `@stubwright/runtime` (same names, same numbers).
 *
 * Generated from proto/google/rpc/ by `npm run generate -w @stubwright/runtime`.
 */
export * from "./gen/google/rpc/error_details_pb.js";
export * from "./gen/google/rpc/status_pb.js";
export { CodeSchema, file_google_rpc_code } from "./gen/google/rpc/code_pb.js";
