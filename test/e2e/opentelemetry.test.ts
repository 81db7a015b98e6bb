import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { Code, closeClient, createServer } from "@stubwright/runtime";
import { clientTracingInterceptor, serverTracingInterceptor } from "@stubwright/runtime/opentelemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EchoServiceDefinition, createEchoServiceClient } from "../golden/ts/fixture/echo/v1/echo_grpc.js";
import { createEchoService } from "../support/echo-service.js";
import { createAsyncContextManager, createInMemoryTracer, createTraceparentPropagator } from "../support/in-memory-tracer.js";

const tracer = createInMemoryTracer();
const server = createServer({ onError: () => {}, use: [serverTracingInterceptor({ tracer })] }).add(EchoServiceDefinition, createEchoService());
let client: ReturnType<typeof createEchoServiceClient>;

beforeAll(async () => {
  context.setGlobalContextManager(createAsyncContextManager());
  propagation.setGlobalPropagator(createTraceparentPropagator());
  const port = await server.listen("127.0.0.1:0");
  client = createEchoServiceClient(`127.0.0.1:${port}`, { use: [clientTracingInterceptor({ tracer })] });
});
afterAll(() => {
  closeClient(client);
  server.forceShutdown();
  context.disable();
  propagation.disable();
});

describe("OpenTelemetry interceptors", () => {
  it("record a client and a server span per call, in one trace under the caller's span", async () => {
    tracer.spans.length = 0;
    const root = tracer.startSpan("root");
    await context.with(trace.setSpan(context.active(), root), () => client.echo({ message: "traced" }));
    root.end();
    const [rootSpan, clientSpan, serverSpan] = tracer.spans;
    expect(clientSpan).toMatchObject({ name: "fixture.echo.v1.EchoService/Echo", kind: SpanKind.CLIENT, parentSpanId: rootSpan?.spanContext.spanId });
    expect(serverSpan).toMatchObject({ name: "fixture.echo.v1.EchoService/Echo", kind: SpanKind.SERVER, parentSpanId: clientSpan?.spanContext.spanId });
    expect(serverSpan?.spanContext.traceId).toBe(rootSpan?.spanContext.traceId);
    for (const span of [clientSpan, serverSpan]) {
      expect(span?.attributes).toMatchObject({
        "rpc.system": "grpc",
        "rpc.service": "fixture.echo.v1.EchoService",
        "rpc.method": "Echo",
        "rpc.grpc.status_code": Code.OK,
      });
      expect(span?.status).toBeUndefined();
      expect(span?.endTime).toBeGreaterThanOrEqual(span?.startTime ?? Infinity);
    }
  });

  it("end streaming spans when the stream ends, with the status code", async () => {
    tracer.spans.length = 0;
    const messages: string[] = [];
    await expect(
      (async () => {
        for await (const response of client.expand({ message: "s", repeat: 3, failAfter: 2, failCode: Code.INTERNAL })) {
          messages.push(response.message);
        }
      })(),
    ).rejects.toMatchObject({ code: Code.INTERNAL });
    expect(messages).toHaveLength(2);
    const [clientSpan, serverSpan] = tracer.spans;
    for (const span of [clientSpan, serverSpan]) {
      expect(span?.attributes["rpc.grpc.status_code"]).toBe(Code.INTERNAL);
      expect(span?.status).toMatchObject({ code: SpanStatusCode.ERROR });
      expect(span?.endTime).toBeDefined();
    }
  });

  it("leave client errors unmarked on the server span (NOT_FOUND is the caller's problem)", async () => {
    tracer.spans.length = 0;
    await client.echo({ failCode: Code.NOT_FOUND }).catch(() => {});
    const [clientSpan, serverSpan] = tracer.spans;
    expect(clientSpan?.status?.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan?.status).toBeUndefined();
    expect(serverSpan?.attributes["rpc.grpc.status_code"]).toBe(Code.NOT_FOUND);
  });
});
