import {
  SpanKind,
  SpanStatusCode,
  context as otelContext,
  propagation,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from "@opentelemetry/api";
import type { Metadata } from "../metadata.js";
import { Code, codeName } from "../code.js";
import { observeOutcome } from "./call-outcome.js";
import type { ClientInterceptor, InterceptedCall, ServerInterceptor } from "./interceptor.js";

/** Options for the OpenTelemetry interceptors. */
export interface TracingOptions {
  /** The tracer spans come from; defaults to the global provider's `@stubwright/runtime` tracer. */
  readonly tracer?: Tracer | undefined;
}

/** Reads trace context (e.g. `traceparent`) from request metadata. */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys: (carrier) => Object.keys(carrier.getMap()),
  get(carrier, key) {
    const values = carrier.get(key).filter((value): value is string => typeof value === "string");
    return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
  },
};

/** Writes trace context into request metadata. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** Server status codes that mark a span as an error (the rest are the client's fault). */
const serverErrorCodes = new Set([Code.UNKNOWN, Code.DEADLINE_EXCEEDED, Code.UNIMPLEMENTED, Code.INTERNAL, Code.UNAVAILABLE, Code.DATA_LOSS]);

/**
 * A server interceptor that opens a SERVER span per call, child of the trace
 * context the client sent in metadata (through the global propagator), active
 * while the handler runs, and ended with the status code the client received
 * when the call ends (for streams: when the stream ends).
 */
export function serverTracingInterceptor(options: TracingOptions = {}): ServerInterceptor {
  return (next) => (call) => {
    const parent = propagation.extract(otelContext.active(), call.metadata, metadataGetter);
    const span = startSpan(options, call, SpanKind.SERVER, parent);
    const active = trace.setSpan(parent, span);
    const result = otelContext.with(active, () => next(call));
    return observeOutcome(call, result, (error, code) => endSpan(span, code, error, serverErrorCodes));
  };
}

/**
 * A client interceptor that opens a CLIENT span per call, child of the active
 * span, and sends its trace context in the request metadata (through the
 * global propagator) so the server's span joins the same trace.
 */
export function clientTracingInterceptor(options: TracingOptions = {}): ClientInterceptor {
  return (next) => (call) => {
    const parent = otelContext.active();
    const span = startSpan(options, call, SpanKind.CLIENT, parent);
    const active = trace.setSpan(parent, span);
    propagation.inject(active, call.metadata, metadataSetter);
    const result = otelContext.with(active, () => next(call));
    return observeOutcome(call, result, (error, code) => endSpan(span, code, error, undefined));
  };
}

function startSpan(options: TracingOptions, call: InterceptedCall, kind: SpanKind, parent: Context): Span {
  const tracer = options.tracer ?? trace.getTracer("@stubwright/runtime");
  const { serviceName: service, methodName: method } = call.method;
  // Span name and attributes follow OpenTelemetry's RPC semantic conventions.
  return tracer.startSpan(
    `${service}/${method}`,
    {
      kind,
      attributes: {
        "rpc.system": "grpc",
        "rpc.service": service,
        "rpc.method": method,
        "stubwright.method_kind": call.method.kind,
      },
    },
    parent,
  );
}

function endSpan(span: Span, code: Code, error: unknown, errorCodes: ReadonlySet<Code> | undefined): void {
  span.setAttribute("rpc.grpc.status_code", code);
  const failed = code !== Code.OK && (errorCodes === undefined || errorCodes.has(code));
  if (failed) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: codeName(code) });
    if (error instanceof Error) {
      span.recordException(error);
    }
  }
  span.end();
}
