import { Code } from "../code.js";
import { HealthCheckResponse_ServingStatus as ServingStatus } from "../gen/grpc/health/v1/health_pb.js";
import { HealthDefinition, type HealthHandlers } from "../gen/grpc/health/v1/health_grpc.js";
import { RpcError } from "../rpc-error.js";
import type { StubwrightServer } from "../server/create-server.js";
import { createLatestValueQueue, type LatestValueQueue } from "./status-queue.js";

/** The whole server's entry in the health service: the empty service name. */
export const overallHealth = "";

/** Options for {@link createHealthService}. */
export interface HealthServiceOptions {
  /** Initial statuses by service name; the server as a whole (`""`) starts SERVING unless given here. */
  readonly statuses?: Readonly<Record<string, ServingStatus>> | undefined;
}

/**
 * The state behind `grpc.health.v1.Health`: a status per service that the
 * application sets, and the handlers that serve it (Check, List, Watch).
 */
export interface HealthService {
  /** Handlers for `server.add(HealthDefinition, health.handlers)`. */
  readonly handlers: HealthHandlers;
  /** Sets a service's status (`""` for the whole server); watchers see the change. Ignored after {@link enterShutdown}. */
  setStatus(service: string, status: ServingStatus): void;
  /** A service's status, or `undefined` for a service never set. */
  getStatus(service: string): ServingStatus | undefined;
  /**
   * Marks every service NOT_SERVING for good and ends every Watch stream once
   * it delivered that, so graceful shutdown is not held up by watchers.
   */
  enterShutdown(): void;
}

/** Creates the health state and handlers; {@link addHealthService} wires them to a server. */
export function createHealthService(options: HealthServiceOptions = {}): HealthService {
  const statuses = new Map<string, ServingStatus>(Object.entries({ [overallHealth]: ServingStatus.SERVING, ...options.statuses }));
  const watchers = new Map<string, Set<LatestValueQueue<ServingStatus>>>();
  let shuttingDown = false;
  const publish = (service: string, status: ServingStatus): void => {
    statuses.set(service, status);
    for (const queue of watchers.get(service) ?? []) {
      queue.push(status);
    }
  };
  const handlers: HealthHandlers = {
    check(request) {
      const status = statuses.get(request.service);
      if (status === undefined) {
        throw new RpcError(Code.NOT_FOUND, `Unknown service "${request.service}"`);
      }
      return { status };
    },
    list() {
      return { statuses: Object.fromEntries([...statuses].map(([name, status]) => [name, { status }])) };
    },
    async *watch(request, context) {
      const queue = createLatestValueQueue<ServingStatus>();
      const set = watchers.get(request.service) ?? new Set();
      watchers.set(request.service, set.add(queue));
      if (shuttingDown) {
        queue.close();
      }
      try {
        let status: ServingStatus | undefined = statuses.get(request.service) ?? ServingStatus.SERVICE_UNKNOWN;
        let sent: ServingStatus | undefined;
        for (; status !== undefined; status = await queue.next(context.signal)) {
          if (status !== sent) {
            sent = status;
            yield { status };
          }
        }
      } finally {
        set.delete(queue);
        if (set.size === 0) {
          watchers.delete(request.service);
        }
      }
    },
  };
  return {
    handlers,
    setStatus(service, status) {
      if (!shuttingDown) {
        publish(service, status);
      }
    },
    getStatus: (service) => statuses.get(service),
    enterShutdown() {
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      for (const service of statuses.keys()) {
        publish(service, ServingStatus.NOT_SERVING);
      }
      for (const set of watchers.values()) {
        for (const queue of set) {
          queue.close();
        }
      }
    },
  };
}

/**
 * Serves `grpc.health.v1.Health` on `server` and turns every service
 * NOT_SERVING as soon as the server begins to shut down. Returns the health
 * state so the application can set statuses.
 */
export function addHealthService(server: StubwrightServer, health: HealthService = createHealthService()): HealthService {
  server.add(HealthDefinition, health.handlers);
  server.onShutdown(() => health.enterShutdown());
  return health;
}
