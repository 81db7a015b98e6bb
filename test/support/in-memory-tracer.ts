import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  ROOT_CONTEXT,
  TraceFlags,
  trace,
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  type Exception,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanOptions,
  type SpanStatus,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  type TimeInput,
  type Tracer,
} from "@opentelemetry/api";

/** A finished (or still open) span as the in-memory tracer recorded it. */
export interface RecordedSpan {
  readonly name: string;
  readonly kind: SpanKind | undefined;
  readonly spanContext: SpanContext;
  readonly parentSpanId: string | undefined;
  readonly attributes: Attributes;
  status: SpanStatus | undefined;
  readonly startTime: number;
  endTime: number | undefined;
  readonly exceptions: Exception[];
}

/**
 * A Tracer written against the OpenTelemetry API interfaces that keeps every
 * span in memory, for tests: no SDK, no exporter.
 */
export function createInMemoryTracer(): Tracer & { readonly spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const startSpan = (name: string, options: SpanOptions = {}, context?: Context): Span => {
    const parent = context === undefined ? undefined : trace.getSpanContext(context);
    const spanContext: SpanContext = {
      traceId: parent?.traceId ?? randomBytes(16).toString("hex"),
      spanId: randomBytes(8).toString("hex"),
      traceFlags: TraceFlags.SAMPLED,
    };
    const record: RecordedSpan = {
      name,
      kind: options.kind,
      spanContext,
      parentSpanId: parent?.spanId,
      attributes: { ...options.attributes },
      status: undefined,
      startTime: performance.now(),
      endTime: undefined,
      exceptions: [],
    };
    spans.push(record);
    const span: Span = {
      spanContext: () => spanContext,
      setAttribute(key: string, value: AttributeValue) {
        record.attributes[key] = value;
        return span;
      },
      setAttributes(attributes: Attributes) {
        Object.assign(record.attributes, attributes);
        return span;
      },
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      setStatus(status: SpanStatus) {
        record.status = status;
        return span;
      },
      updateName: () => span,
      end(_endTime?: TimeInput) {
        record.endTime ??= performance.now();
      },
      isRecording: () => record.endTime === undefined,
      recordException(exception: Exception) {
        record.exceptions.push(exception);
      },
    };
    return span;
  };
  return {
    spans,
    startSpan,
    startActiveSpan: (() => {
      throw new Error("not used by the tests");
    }) as Tracer["startActiveSpan"],
  };
}

/** A context manager on AsyncLocalStorage, so `context.with` follows awaits. */
export function createAsyncContextManager(): ContextManager {
  const storage = new AsyncLocalStorage<Context>();
  const manager: ContextManager = {
    active: () => storage.getStore() ?? ROOT_CONTEXT,
    with: (context, fn, thisArg, ...args) => storage.run(context, () => fn.call(thisArg, ...args)),
    bind: (_context, target) => target,
    enable: () => manager,
    disable: () => manager,
  };
  return manager;
}

/** A W3C `traceparent` propagator (version 00 only), enough to follow one trace across a call. */
export function createTraceparentPropagator(): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter) {
      const span = trace.getSpanContext(context);
      if (span !== undefined) {
        setter.set(carrier, "traceparent", `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`);
      }
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter) {
      const header = getter.get(carrier, "traceparent");
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(typeof header === "string" ? header : "");
      if (match === null) {
        return context;
      }
      return trace.setSpanContext(context, {
        traceId: match[1] as string,
        spanId: match[2] as string,
        traceFlags: Number.parseInt(match[3] as string, 16),
        isRemote: true,
      });
    },
    fields: () => ["traceparent"],
  };
}
