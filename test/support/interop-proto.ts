import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const protosDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../packages/interop/protos");

/** The interop protos, loaded the plain grpc-js way: @grpc/proto-loader at run time, no generated code. */
const packageDefinition = loadSync("src/proto/grpc/testing/test.proto", {
  includeDirs: [protosDir],
  keepCase: true,
  defaults: true,
  enums: String,
  longs: Number,
});

const testing = (loadPackageDefinition(packageDefinition).grpc as GrpcObject).testing as GrpcObject;

/** grpc.testing.TestService as a proto-loader client constructor (its `.service` is the server definition). */
export const LoadedTestService = testing.TestService as ServiceClientConstructor;
/** grpc.testing.UnimplementedService as a proto-loader client constructor. */
export const LoadedUnimplementedService = testing.UnimplementedService as ServiceClientConstructor;

/** The request fields the reference programs read (proto-loader objects: snake_case, defaults filled in). */
export interface LoadedPayload {
  type: string;
  body: Buffer;
}
export interface LoadedResponseParameters {
  size: number;
  interval_us: number;
  compressed: { value: boolean } | null;
}
export interface LoadedSimpleRequest {
  response_type: string;
  response_size: number;
  payload: LoadedPayload | null;
  response_status: { code: number; message: string } | null;
  expect_compressed: { value: boolean } | null;
}
export interface LoadedStreamingInputRequest {
  payload: LoadedPayload | null;
  expect_compressed: { value: boolean } | null;
}
export interface LoadedStreamingOutputRequest {
  response_type: string;
  response_parameters: LoadedResponseParameters[];
  response_status: { code: number; message: string } | null;
}
