export { parseFlags, booleanFlag, portFlag, type Flags } from "./flags.js";
export { loadTestCerts, defaultCertsDir, type TestCerts } from "./certs.js";
export { zeroPayload, isZeroBody } from "./payload.js";
export { arrivedCompressed, trackRequestCompression, wasCompressed } from "./server/request-compression.js";
export { createTestService, echoInitialKey, echoTrailingKey, type InteropHandlers } from "./server/test-service.js";
export { startInteropServer, type InteropServer, type InteropServerOptions } from "./server/interop-server.js";
export { clientOptionsFor, targetOf, type InteropConnection } from "./client/connection.js";
export { InteropFailure, describeError } from "./client/interop-failure.js";
export { interopCases, interopCaseNames, isInteropCaseName, type InteropCase, type InteropCaseName, type CaseContext } from "./client/test-cases.js";
export { runInteropCase, type RunCaseOptions } from "./client/run-case.js";
export {
  TestServiceDefinition,
  UnimplementedServiceDefinition,
  createTestServiceClient,
  createUnimplementedServiceClient,
  type TestServiceClient,
  type TestServiceHandlers,
  type UnimplementedServiceClient,
} from "./gen/src/proto/grpc/testing/test_grpc.js";
export { PayloadType } from "./gen/src/proto/grpc/testing/messages_pb.js";
