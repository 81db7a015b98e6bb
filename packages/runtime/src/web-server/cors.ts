import type { WebRequest, ResponseLike } from "./http-exchange.js";
import { header } from "./http-exchange.js";

/** Cross-origin access for browsers (CORS). Without it, no other origin may call the server. */
export interface CorsOptions {
  /** The origins allowed to call, e.g. `["https://app.example"]`, or a function that decides per origin. */
  readonly allowedOrigins: readonly string[] | ((origin: string) => boolean);
  /** Request headers pages may send besides the protocols' own, e.g. `["authorization"]`. */
  readonly allowedHeaders?: readonly string[] | undefined;
  /**
   * Metadata keys pages may read from responses, e.g. `["x-request-id"]`:
   * each is exposed as a header and as Connect's `trailer-<key>`.
   */
  readonly exposedHeaders?: readonly string[] | undefined;
  /** Send `Access-Control-Allow-Credentials: true`, so pages may call with cookies (default false). */
  readonly allowCredentials?: boolean | undefined;
  /** How long browsers may cache a preflight answer, in seconds (default 7200). */
  readonly maxAgeSeconds?: number | undefined;
}

/** Request headers gRPC-Web and Connect clients send. */
const protocolRequestHeaders = [
  "content-type",
  "connect-protocol-version",
  "connect-timeout-ms",
  "connect-content-encoding",
  "connect-accept-encoding",
  "content-encoding",
  "x-grpc-web",
  "x-user-agent",
  "grpc-timeout",
  "grpc-encoding",
  "grpc-accept-encoding",
];

/** Response headers their clients read. */
const protocolResponseHeaders = ["grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "connect-content-encoding", "content-encoding"];

/** What CORS does with one request. */
export type CorsOutcome = "answered" | "continue";

/**
 * Creates the CORS step of the web handler: a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here, 204 with the allowed
 * methods and headers for an allowed origin, 403 for any other; an actual
 * request from an allowed origin gets `Access-Control-Allow-Origin` and the
 * exposed headers, and from any other origin nothing (the browser then
 * withholds the response). Without options, no origin is allowed.
 */
export function createCors(options: CorsOptions | undefined): (request: WebRequest, response: ResponseLike) => CorsOutcome {
  const allowed = originCheck(options?.allowedOrigins);
  const allowHeaders = [...new Set([...protocolRequestHeaders, ...(options?.allowedHeaders ?? []).map((name) => name.toLowerCase())])].join(", ");
  const exposed = (options?.exposedHeaders ?? []).map((name) => name.toLowerCase());
  const exposeHeaders = [...new Set([...protocolResponseHeaders, ...exposed, ...exposed.map((name) => `trailer-${name}`)])].join(", ");
  const maxAge = String(options?.maxAgeSeconds ?? 7200);
  const credentials = options?.allowCredentials === true;
  return (request, response) => {
    const origin = header(request.headers, "origin");
    const preflight = request.method === "OPTIONS" && header(request.headers, "access-control-request-method") !== undefined;
    if (options !== undefined) {
      // The answer depends on the origin: a cache must not serve one origin's answer to another.
      response.setHeader("vary", "Origin");
    }
    if (origin === undefined) {
      return "continue";
    }
    if (!allowed(origin)) {
      if (preflight) {
        request.resume();
        response.writeHead(403, { "content-type": "text/plain" });
        response.end(`origin ${origin} is not allowed`);
        return "answered";
      }
      return "continue";
    }
    response.setHeader("access-control-allow-origin", origin);
    if (credentials) {
      response.setHeader("access-control-allow-credentials", "true");
    }
    if (preflight) {
      request.resume();
      response.writeHead(204, {
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": allowHeaders,
        "access-control-max-age": maxAge,
      });
      response.end();
      return "answered";
    }
    response.setHeader("access-control-expose-headers", exposeHeaders);
    return "continue";
  };
}

function originCheck(origins: CorsOptions["allowedOrigins"] | undefined): (origin: string) => boolean {
  if (origins === undefined) {
    return () => false;
  }
  if (typeof origins === "function") {
    return origins;
  }
  const set = new Set(origins);
  return (origin) => set.has(origin);
}
