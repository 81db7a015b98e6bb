/**
 * `@stubwright/runtime/health`: the grpc.health.v1 service (Check, List,
 * Watch) for a Stubwright server, its messages and its typed client.
 */
export {
  addHealthService,
  createHealthService,
  overallHealth,
  type HealthService,
  type HealthServiceOptions,
} from "./health-service.js";
export {
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponse_ServingStatusSchema as ServingStatusSchema,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthListRequestSchema,
  HealthListResponseSchema,
  type HealthCheckRequest,
  type HealthCheckResponse,
  type HealthListRequest,
  type HealthListResponse,
} from "../gen/grpc/health/v1/health_pb.js";
export { HealthDefinition, createHealthClient, type HealthClient, type HealthHandlers } from "../gen/grpc/health/v1/health_grpc.js";
