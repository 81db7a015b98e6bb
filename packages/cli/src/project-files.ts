import type { GenerateSettings } from "./buf-config.js";

/**
 * The `tsconfig.json` of a new project: strict, and `nodenext`, the module
 * setting under which the generated code and the runtime's exports resolve in
 * ESM and CommonJS packages alike.
 */
export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      strict: true,
      rootDir: "src",
      outDir: "dist",
      types: ["node"],
      sourceMap: true,
      skipLibCheck: true,
    },
    include: ["src"],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The `.gitignore` of a new project: installed and built files. */
export function gitignore(): string {
  return "node_modules/\ndist/\n";
}

/** The example service's .proto file, relative to the project. */
export function exampleProtoPath(settings: GenerateSettings): string {
  return `${settings.root}/greeter/v1/greeter.proto`;
}

/** The example service, named as buf's STANDARD lint rules want. */
export function exampleProto(): string {
  return `// Written by \`stubwright init\`: an example service. Change it or add files beside it,
// then run \`npm run generate\`.
syntax = "proto3";

package greeter.v1;

// Greets people.
service GreeterService {
  // Answers with a greeting for the name in the request.
  rpc SayHello(SayHelloRequest) returns (SayHelloResponse);
}

message SayHelloRequest {
  // Who to greet; must not be empty.
  string name = 1;
}

message SayHelloResponse {
  string message = 1;
}
`;
}

/** Where generated code for the example lands, as imported from src/. */
function generatedModule(settings: GenerateSettings): string {
  const fromSrc = settings.out.startsWith("src/") ? `./${settings.out.slice("src/".length)}` : `../${settings.out}`;
  return `${fromSrc}/greeter/v1/greeter_grpc.js`;
}

/**
 * The example server: listens on 127.0.0.1:$PORT (default 50051), answers
 * SayHello, and shuts down gracefully on Ctrl-C or SIGTERM. No top-level
 * await, so it compiles for ESM and CommonJS projects alike.
 */
export function serverTs(settings: GenerateSettings): string {
  return `// Written by \`stubwright init\`: a GreeterService server. \`npm run build\`, then \`npm start\`.
import { Code, RpcError, createServer } from "@stubwright/runtime";
import { GreeterServiceDefinition, type GreeterServiceHandlers } from "${generatedModule(settings)}";

const address = \`127.0.0.1:\${process.env.PORT ?? 50051}\`;

const greeter: GreeterServiceHandlers = {
  async sayHello(request, context) {
    if (request.name === "") {
      // The client gets this code and message as an RpcError.
      throw new RpcError(Code.INVALID_ARGUMENT, "name must not be empty");
    }
    // The client's deadline comes with the call; calls made from here inherit it.
    console.log(\`SayHello(\${request.name}) from \${context.peer}, \${Math.round(context.timeRemainingMs())} ms left\`);
    return { message: \`Hello, \${request.name}!\` };
  },
};

async function main(): Promise<void> {
  const server = createServer().add(GreeterServiceDefinition, greeter);
  const port = await server.listen(address);
  console.log(\`GreeterService listening on 127.0.0.1:\${port}\`);
  const stop = (signal: string): void => {
    console.log(\`\${signal}: finishing the calls in flight, then stopping\`);
    void server.shutdown({ graceMs: 5_000 }).then(() => console.log("stopped"));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}

/**
 * The example client: calls SayHello on 127.0.0.1:$PORT (default 50051) with
 * a deadline, prints the reply, or the status code and exit code 1.
 */
export function clientTs(settings: GenerateSettings): string {
  return `// Written by \`stubwright init\`: calls the server of src/server.ts. \`npm run client -- Ada\` greets Ada.
import { Code, RpcError, closeClient } from "@stubwright/runtime";
import { createGreeterServiceClient } from "${generatedModule(settings)}";

const address = \`127.0.0.1:\${process.env.PORT ?? 50051}\`;
const name = process.argv[2] ?? "world";

async function main(): Promise<void> {
  const client = createGreeterServiceClient(address);
  try {
    // The deadline: past it the call fails with DEADLINE_EXCEEDED, and the server sees it too.
    const reply = await client.sayHello({ name }, { timeoutMs: 2_000 });
    console.log(reply.message);
  } catch (error) {
    if (!(error instanceof RpcError)) {
      throw error;
    }
    // Every failure is an RpcError: a status the server sent, the deadline, no server to reach...
    console.error(\`SayHello failed: \${Code[error.code]}: \${error.rawMessage}\`);
    if (error.code === Code.UNAVAILABLE) {
      console.error(\`Is the server running on \${address}? Start it with \\\`npm start\\\`.\`);
    }
    process.exitCode = 1;
  } finally {
    closeClient(client);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;
}
