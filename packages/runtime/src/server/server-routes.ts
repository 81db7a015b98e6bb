import type { MethodDefinition } from "../method-definition.js";
import type { MethodDispatcher } from "./method-handler.js";

/** One method a server serves, as any transport reaches it. */
export interface ServerRoute {
  /** The method, with the server's codec in its serializers. */
  readonly method: MethodDefinition;
  /** Runs the handler (through the server's interceptors) for one call. */
  readonly dispatch: MethodDispatcher;
  /** True when the dispatcher hands responses over serialized (bytes), false when as messages. */
  readonly preSerialized: boolean;
  /** The server's `grpc.max_receive_message_length` and `grpc.max_send_message_length`, when set (-1 for no limit). */
  readonly limits?: { readonly maxReceiveMessageBytes?: number | undefined; readonly maxSendMessageBytes?: number | undefined } | undefined;
}

const routesByServer = new WeakMap<object, Map<string, ServerRoute>>();

/** Records that `server` serves `route` under its method path (a later one replaces an earlier). */
export function addServerRoute(server: object, route: ServerRoute): void {
  let routes = routesByServer.get(server);
  if (routes === undefined) {
    routes = new Map();
    routesByServer.set(server, routes);
  }
  routes.set(route.method.path, route);
}

/** The routes of a server created by `createServer`, by method path; `undefined` for anything else. */
export function serverRoutes(server: object): ReadonlyMap<string, ServerRoute> | undefined {
  return routesByServer.get(server) ?? (isServerLike(server) ? new Map() : undefined);
}

function isServerLike(value: object): boolean {
  return "grpcServer" in value && "definitions" in value;
}
