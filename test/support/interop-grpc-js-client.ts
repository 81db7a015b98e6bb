import {
  Metadata,
  compressionAlgorithms,
  credentials,
  status,
  type Client,
  type ClientDuplexStream,
  type ClientReadableStream,
  type ClientUnaryCall,
  type ClientWritableStream,
  type ServiceError,
  type StatusObject,
} from "@grpc/grpc-js";
import { LoadedTestService, LoadedUnimplementedService } from "./interop-proto.js";

/**
 * The interop client cases written against plain grpc-js and
 * @grpc/proto-loader, to call Stubwright's server from an implementation that
 * shares none of its code. Every case throws on failure and is bounded by
 * call deadlines.
 */
type Callback<R> = (error: ServiceError | null, response: R) => void;
/** The response fields the cases read (proto-loader objects: snake_case). */
interface PayloadResponse {
  payload: { body: Buffer };
}
interface AggregateResponse {
  aggregated_payload_size: number;
}
interface LoadedClient extends Client {
  EmptyCall(request: object, options: object, callback: Callback<object>): ClientUnaryCall;
  UnaryCall(request: object, metadata: Metadata, options: object, callback: Callback<PayloadResponse>): ClientUnaryCall;
  StreamingInputCall(metadata: Metadata, options: object, callback: Callback<AggregateResponse>): ClientWritableStream<object>;
  StreamingOutputCall(request: object, options: object): ClientReadableStream<PayloadResponse>;
  FullDuplexCall(metadata: Metadata, options: object): ClientDuplexStream<object, PayloadResponse>;
  UnimplementedCall(request: object, options: object, callback: Callback<object>): ClientUnaryCall;
}

interface Clients {
  readonly test: LoadedClient;
  readonly compressed: LoadedClient;
  readonly unimplemented: LoadedClient;
}

const zeros = (size: number): { payload: { body: Buffer } } => ({ payload: { body: Buffer.alloc(size) } });
const deadline = (): { deadline: number } => ({ deadline: Date.now() + 30_000 });
const noCompress = 2; // gRPC's GRPC_WRITE_NO_COMPRESS write flag

function unary(client: LoadedClient, request: object, metadata = new Metadata()): Promise<PayloadResponse> {
  return new Promise((resolve, reject) => {
    client.UnaryCall(request, metadata, deadline(), (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function expectCode(promise: Promise<unknown>, code: status, message?: string): Promise<void> {
  return promise.then(
    () => {
      throw new Error(`expected status ${code}, the call succeeded`);
    },
    (error: ServiceError) => {
      if (error.code !== code || (message !== undefined && error.details !== message)) {
        throw new Error(`expected status ${code} ${JSON.stringify(message)}, got ${error.code} ${JSON.stringify(error.details)}`);
      }
    },
  );
}

function expect(condition: boolean, reason: string): void {
  if (!condition) throw new Error(reason);
}

function inputCall(client: LoadedClient, requests: readonly { message: object; flags?: number }[]): Promise<AggregateResponse> {
  return new Promise((resolve, reject) => {
    const call = client.StreamingInputCall(new Metadata(), deadline(), (error, response) => (error ? reject(error) : resolve(response)));
    for (const { message, flags } of requests) call.write(message, flags);
    call.end();
  });
}

/** Reads a duplex/server stream to its status; resolves with the responses and the final status. */
function readAll(
  stream: ClientReadableStream<PayloadResponse> | ClientDuplexStream<object, PayloadResponse>,
): Promise<{ responses: PayloadResponse[]; status: StatusObject; headers: Metadata | undefined }> {
  return new Promise((resolve) => {
    const responses: PayloadResponse[] = [];
    let headers: Metadata | undefined;
    stream.on("metadata", (received: Metadata) => (headers = received));
    stream.on("data", (response) => responses.push(response));
    stream.on("error", () => {});
    stream.on("status", (status: StatusObject) => resolve({ responses, status, headers }));
  });
}

const sizesOf = (responses: readonly PayloadResponse[]): string => responses.map((r) => r.payload.body.length).join(",");

/** The cases, keyed by their standard names. */
const grpcJsClientCases: Record<string, (clients: Clients) => Promise<void>> = {
  async empty_unary({ test }) {
    await new Promise((resolve, reject) => test.EmptyCall({}, deadline(), (error, response) => (error ? reject(error) : resolve(response))));
  },
  async large_unary({ test }) {
    const response = await unary(test, { response_size: 314159, ...zeros(271828) });
    expect(response.payload.body.length === 314159, `body ${response.payload.body.length}`);
  },
  async client_compressed_unary({ test, compressed }) {
    await expectCode(unary(test, { expect_compressed: { value: true }, response_size: 314159, ...zeros(271828) }), status.INVALID_ARGUMENT);
    await unary(compressed, { expect_compressed: { value: true }, response_size: 314159, ...zeros(271828) });
    await unary(test, { expect_compressed: { value: false }, response_size: 314159, ...zeros(271828) });
  },
  async server_compressed_unary({ test }) {
    for (const value of [true, false]) {
      const response = await unary(test, { response_compressed: { value }, response_size: 314159, ...zeros(271828) });
      expect(response.payload.body.length === 314159, `body ${response.payload.body.length}`);
    }
  },
  async client_streaming({ test }) {
    const response = await inputCall(
      test,
      [27182, 8, 1828, 45904].map((size) => ({ message: zeros(size) })),
    );
    expect(response.aggregated_payload_size === 74922, `aggregated ${response.aggregated_payload_size}`);
  },
  async client_compressed_streaming({ test, compressed }) {
    await expectCode(inputCall(test, [{ message: { expect_compressed: { value: true }, ...zeros(27182) } }]), status.INVALID_ARGUMENT);
    const response = await inputCall(compressed, [
      { message: { expect_compressed: { value: true }, ...zeros(27182) } },
      { message: { expect_compressed: { value: false }, ...zeros(45904) }, flags: noCompress },
    ]);
    expect(response.aggregated_payload_size === 73086, `aggregated ${response.aggregated_payload_size}`);
  },
  async server_streaming({ test }) {
    const sizes = [31415, 9, 2653, 58979];
    const { responses, status: end } = await readAll(test.StreamingOutputCall({ response_parameters: sizes.map((size) => ({ size })) }, deadline()));
    expect(end.code === status.OK && sizesOf(responses) === sizes.join(","), `status ${end.code}, sizes ${sizesOf(responses)}`);
  },
  async server_compressed_streaming({ test }) {
    const request = {
      response_parameters: [
        { compressed: { value: true }, size: 31415 },
        { compressed: { value: false }, size: 92653 },
      ],
    };
    const { responses, status: end } = await readAll(test.StreamingOutputCall(request, deadline()));
    expect(end.code === status.OK && sizesOf(responses) === "31415,92653", `status ${end.code}, sizes ${sizesOf(responses)}`);
  },
  async ping_pong({ test }) {
    const requestSizes = [27182, 8, 1828, 45904];
    const responseSizes = [31415, 9, 2653, 58979];
    const call = test.FullDuplexCall(new Metadata(), deadline());
    const send = (i: number): void => void call.write({ response_parameters: [{ size: responseSizes[i] }], ...zeros(requestSizes[i] ?? 0) });
    let count = 0;
    call.on("data", () => (++count < 4 ? send(count) : call.end()));
    send(0);
    const { responses, status: end } = await readAll(call);
    expect(end.code === status.OK && sizesOf(responses) === responseSizes.join(","), `status ${end.code}, sizes ${sizesOf(responses)}`);
  },
  async empty_stream({ test }) {
    const call = test.FullDuplexCall(new Metadata(), deadline());
    call.end();
    const { responses, status: end } = await readAll(call);
    expect(end.code === status.OK && responses.length === 0, `status ${end.code}, ${responses.length} responses`);
  },
  async cancel_after_begin({ test }) {
    const pending = new Promise((resolve, reject) => {
      const call = test.StreamingInputCall(new Metadata(), deadline(), (error, response) => (error ? reject(error) : resolve(response)));
      call.cancel();
    });
    await expectCode(pending, status.CANCELLED);
  },
  async cancel_after_first_response({ test }) {
    const call = test.FullDuplexCall(new Metadata(), deadline());
    call.write({ response_parameters: [{ size: 31415 }], ...zeros(27182) });
    call.on("data", () => call.cancel());
    const { responses, status: end } = await readAll(call);
    expect(end.code === status.CANCELLED && responses.length === 1, `status ${end.code}, ${responses.length} responses`);
  },
  async timeout_on_sleeping_server({ test }) {
    const call = test.FullDuplexCall(new Metadata(), { deadline: Date.now() + 1 });
    call.write(zeros(27182));
    const { status: end } = await readAll(call);
    call.end();
    expect(end.code === status.DEADLINE_EXCEEDED, `status ${end.code}`);
  },
  async custom_metadata({ test }) {
    const metadata = new Metadata();
    metadata.set("x-grpc-test-echo-initial", "test_initial_metadata_value");
    metadata.set("x-grpc-test-echo-trailing-bin", Buffer.from("ababab", "hex"));
    const check = (headers: Metadata | undefined, trailers: Metadata, what: string): void => {
      expect(headers?.get("x-grpc-test-echo-initial")[0] === "test_initial_metadata_value", `${what}: initial metadata missing`);
      expect((trailers.get("x-grpc-test-echo-trailing-bin")[0] as Buffer | undefined)?.toString("hex") === "ababab", `${what}: trailing metadata missing`);
    };
    await new Promise<void>((resolve, reject) => {
      let headers: Metadata | undefined;
      const call = test.UnaryCall({ response_size: 314159, ...zeros(271828) }, metadata, deadline(), (error) => error && reject(error));
      call.on("metadata", (received: Metadata) => (headers = received));
      call.on("status", (end: StatusObject) => {
        try {
          check(headers, end.metadata, "UnaryCall");
          resolve();
        } catch (error) {
          reject(error);
        }
      });
    });
    const call = test.FullDuplexCall(metadata, deadline());
    call.write({ response_parameters: [{ size: 314159 }], ...zeros(271828) });
    call.end();
    const { status: end, headers } = await readAll(call);
    check(headers, end.metadata, "FullDuplexCall");
  },
  async status_code_and_message({ test }) {
    const response_status = { code: 2, message: "test status message" };
    await expectCode(unary(test, { response_status }), status.UNKNOWN, response_status.message);
    const call = test.FullDuplexCall(new Metadata(), deadline());
    call.write({ response_status });
    call.end();
    const { status: end } = await readAll(call);
    expect(end.code === 2 && end.details === response_status.message, `status ${end.code} ${JSON.stringify(end.details)}`);
  },
  async special_status_message({ test }) {
    const message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
    await expectCode(unary(test, { response_status: { code: 2, message } }), status.UNKNOWN, message);
  },
  async unimplemented_method({ test }) {
    await expectCode(new Promise((resolve, reject) => test.UnimplementedCall({}, deadline(), (e, r) => (e ? reject(e) : resolve(r)))), status.UNIMPLEMENTED);
  },
  async unimplemented_service({ unimplemented }) {
    await expectCode(
      new Promise((resolve, reject) => unimplemented.UnimplementedCall({}, deadline(), (e, r) => (e ? reject(e) : resolve(r)))),
      status.UNIMPLEMENTED,
    );
  },
};

/** Runs one case with fresh plain grpc-js clients for `target`, closing them afterwards. */
export async function runGrpcJsClientCase(name: string, target: string): Promise<void> {
  const run = grpcJsClientCases[name];
  if (run === undefined) throw new Error(`no grpc-js client case ${name}`);
  const insecure = credentials.createInsecure();
  const clients: Clients = {
    test: new LoadedTestService(target, insecure) as unknown as LoadedClient,
    compressed: new LoadedTestService(target, insecure, { "grpc.default_compression_algorithm": compressionAlgorithms.gzip }) as unknown as LoadedClient,
    unimplemented: new LoadedUnimplementedService(target, insecure) as unknown as LoadedClient,
  };
  try {
    await run(clients);
  } finally {
    for (const client of Object.values(clients)) client.close();
  }
}
