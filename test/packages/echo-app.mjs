// The consumer projects' richer application: an echo service with all four call kinds, a call that runs into
// its deadline (seen by both sides) and an error with details. Its server and client are TypeScript that
// compiles as ES modules and as CommonJS alike; the client prints one JSON line that `checkEchoReply` judges.

/** The service, at `protos/echo/v1/echo.proto` (or wherever the project keeps its .proto files). */
export const echoProto = `syntax = "proto3";

package echo.v1;

service EchoService {
  rpc Echo(EchoRequest) returns (EchoResponse);
  rpc Expand(EchoRequest) returns (stream EchoResponse);
  rpc Collect(stream EchoRequest) returns (EchoResponse);
  rpc Chat(stream EchoRequest) returns (stream EchoResponse);
}

message EchoRequest {
  string text = 1;
}

message EchoResponse {
  string text = 1;
}
`;

/** The server: listens on 127.0.0.1:$PORT (0 when unset) and prints `listening on <port>`. */
export const echoServer = `import { create } from "@bufbuild/protobuf";
import { Code, RpcError, createServer } from "@stubwright/runtime";
import { BadRequestSchema } from "@stubwright/runtime/error-details";
import { EchoServiceDefinition, type EchoServiceHandlers } from "./gen/echo/v1/echo_grpc.js";

let reportAbort: (reason: string) => void = () => undefined;
const abortSeen = new Promise<string>((resolve) => {
  reportAbort = resolve;
});

const handlers: EchoServiceHandlers = {
  async echo(request, context) {
    if (request.text === "") {
      throw new RpcError(Code.INVALID_ARGUMENT, "text must not be empty", {
        details: [create(BadRequestSchema, { fieldViolations: [{ field: "text", description: "must not be empty" }] })],
      });
    }
    if (request.text === "wait") {
      // Never answers: the call ends when its deadline expires, which the signal reports.
      await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
      const reason: unknown = context.signal.reason;
      reportAbort(reason instanceof RpcError ? String(reason.code) : String(reason));
      return { text: "too late" };
    }
    if (request.text === "abort seen?") return { text: await abortSeen };
    return { text: request.text };
  },
  async *expand(request) {
    for (const word of request.text.split(" ")) yield { text: word };
  },
  async collect(requests) {
    const words: string[] = [];
    for await (const request of requests) words.push(request.text);
    return { text: words.join(" ") };
  },
  async *chat(requests) {
    for await (const request of requests) yield { text: request.text.toUpperCase() };
  },
};

async function main(): Promise<void> {
  const server = createServer().add(EchoServiceDefinition, handlers);
  const port = await server.listen(\`127.0.0.1:\${process.env.PORT ?? "0"}\`);
  console.log(\`listening on \${port}\`);
  process.once("SIGINT", () => void server.shutdown({ graceMs: 5_000 }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** The client: calls the server at 127.0.0.1:$PORT and prints what it saw as one JSON line. */
export const echoClient = `import { Code, RpcError, closeClient } from "@stubwright/runtime";
import { BadRequestSchema } from "@stubwright/runtime/error-details";
import { createEchoServiceClient } from "./gen/echo/v1/echo_grpc.js";

async function* texts(...values: string[]): AsyncGenerator<{ text: string }> {
  for (const text of values) yield { text };
}

async function failure(call: Promise<unknown>): Promise<RpcError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof RpcError) return error;
    throw error;
  }
  throw new Error("the call succeeded");
}

async function main(): Promise<void> {
  const client = createEchoServiceClient(\`127.0.0.1:\${process.env.PORT ?? "50051"}\`, { defaultTimeoutMs: 60_000 });
  try {
    const unary = (await client.echo({ text: "hello" })).text;
    const serverStream: string[] = [];
    for await (const reply of client.expand({ text: "one two three" })) serverStream.push(reply.text);
    const clientStream = (await client.collect(texts("a", "b", "c"))).text;
    const bidi: string[] = [];
    for await (const reply of client.chat(texts("x", "y"))) bidi.push(reply.text);
    const deadline = await failure(client.echo({ text: "wait" }, { timeoutMs: 200 }));
    const serverSaw = (await client.echo({ text: "abort seen?" })).text;
    const invalid = await failure(client.echo({ text: "" }));
    const [badRequest] = invalid.findDetails(BadRequestSchema);
    console.log(
      JSON.stringify({
        unary,
        serverStream,
        clientStream,
        bidi,
        clientDeadline: deadline.code === Code.DEADLINE_EXCEEDED,
        serverDeadline: serverSaw === String(Code.DEADLINE_EXCEEDED),
        invalidArgument: invalid.code === Code.INVALID_ARGUMENT,
        detailField: badRequest?.fieldViolations[0]?.field ?? null,
      }),
    );
  } finally {
    closeClient(client);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

const expected = {
  unary: "hello",
  serverStream: ["one", "two", "three"],
  clientStream: "a b c",
  bidi: ["X", "Y"],
  clientDeadline: true,
  serverDeadline: true,
  invalidArgument: true,
  detailField: "text",
};

/** Undefined when the client's output is the expected JSON line, otherwise what is wrong. */
export function checkEchoReply(stdout) {
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return line === JSON.stringify(expected) ? undefined : `expected ${JSON.stringify(expected)}, got ${stdout.trim()}`;
}
