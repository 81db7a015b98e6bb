import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { BlobSchema, OrderSchema, SmallSchema, StreamRequestSchema, type Blob, type Order, type Small, type StreamRequest } from "../gen/es/bench_pb.js";
import {
  cachedBy,
  countMessages,
  countUpload,
  listen,
  pingPongOver,
  uploadOver,
  writeSmalls,
  type BenchClient,
  type GenericClient,
  type Stack,
} from "./stack-support.js";

// Raw grpc-js with a hand-written ServiceDefinition. With protobuf-es's
// toBinary/fromBinary as serializers it is the baseline; with Stubwright's
// compiled codec it shows what the Stubwright runtime itself costs.

/** Serializer factories for a raw grpc-js stack. */
export interface RawCodec {
  serialize<S extends DescMessage>(schema: S): (value: MessageShape<S>) => Buffer;
  deserialize<S extends DescMessage>(schema: S): (bytes: Buffer) => MessageShape<S>;
}

/**
 * protobuf-es's toBinary / fromBinary. paired/codec-ceiling-child.mjs also
 * imports it, from dist/, where knip cannot follow.
 * @public
 */
export const protobufEsCodec: RawCodec = {
  serialize: (schema) => (value) => {
    const bytes = toBinary(schema, value);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
  deserialize: (schema) => (bytes) => fromBinary(schema, bytes),
};

function createDefinition(codec: RawCodec) {
  function method<I extends DescMessage, O extends DescMessage>(name: string, i: I, o: O, requestStream: boolean, responseStream: boolean) {
    return {
      path: `/stubwright.bench.v1.BenchService/${name}`,
      requestStream,
      responseStream,
      requestSerialize: codec.serialize(i),
      requestDeserialize: codec.deserialize(i),
      responseSerialize: codec.serialize(o),
      responseDeserialize: codec.deserialize(o),
    };
  }
  return {
    Unary: method("Unary", SmallSchema, SmallSchema, false, false),
    Echo: method("Echo", OrderSchema, OrderSchema, false, false),
    EchoBlob: method("EchoBlob", BlobSchema, BlobSchema, false, false),
    Upload: method("Upload", SmallSchema, StreamRequestSchema, true, false),
    Stream: method("Stream", StreamRequestSchema, SmallSchema, false, true),
    PingPong: method("PingPong", SmallSchema, SmallSchema, true, true),
  } satisfies grpc.ServiceDefinition;
}

/** Raw grpc-js + protobuf-es toBinary/fromBinary: the baseline. */
export const grpcJsRaw: Stack = createRawStack("grpc-js + protobuf-es (baseline)", protobufEsCodec);

/** Wraps every server handler of a raw stack, e.g. to run it in an async context. */
export type HandlerWrapper = (handler: (...args: never[]) => void) => (...args: never[]) => void;

/** A raw grpc-js stack with the given serializers (and optionally wrapped handlers). */
export function createRawStack(name: string, codec: RawCodec, wrapHandler?: HandlerWrapper): Stack {
  const definition = createDefinition(codec);
  const ClientConstructor = grpc.makeGenericClientConstructor(definition, "BenchService");
  return {
    name,
    async startServer() {
      const server = new grpc.Server();
      const handlers = {
        Unary: (call: grpc.ServerUnaryCall<Small, Small>, cb: grpc.sendUnaryData<Small>) => cb(null, call.request),
        Echo: (call: grpc.ServerUnaryCall<Order, Order>, cb: grpc.sendUnaryData<Order>) => cb(null, call.request),
        EchoBlob: (call: grpc.ServerUnaryCall<Blob, Blob>, cb: grpc.sendUnaryData<Blob>) => cb(null, call.request),
        Upload: (call: grpc.ServerReadableStream<Small, StreamRequest>, cb: grpc.sendUnaryData<StreamRequest>) =>
          countUpload(call, cb, (count) => create(StreamRequestSchema, { count })),
        Stream: (call: grpc.ServerWritableStream<StreamRequest, Small>) => {
          writeSmalls(call, call.request.count, (i) => create(SmallSchema, { id: BigInt(i), name: "stream item" }));
        },
        PingPong: (call: grpc.ServerDuplexStream<Small, Small>) => {
          call.on("data", (m: Small) => call.write(m));
          call.on("end", () => call.end());
        },
      };
      server.addService(definition, wrapHandler === undefined ? handlers : wrapAll(handlers, wrapHandler));
      return listen(server);
    },
    connect(port) {
      const client = new ClientConstructor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as GenericClient;
      const unary = <T>(name: string, req: unknown) =>
        new Promise<T>((resolve, reject) => client[name]!(req, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
      const order = cachedBy((encoded: Uint8Array) => fromBinary(OrderSchema, encoded));
      const api: BenchClient = {
        unary: (v) => unary("Unary", create(SmallSchema, v)).then(() => undefined),
        blob: (data) => unary("EchoBlob", create(BlobSchema, { data, id: 1n })).then(() => undefined),
        echo: (encoded) => unary("Echo", order(encoded)).then(() => undefined),
        upload: (count) =>
          uploadOver(
            (cb) => client.Upload!(cb) as grpc.ClientWritableStream<Small>,
            count,
            (i) => create(SmallSchema, { id: BigInt(i), name: "upload item" }),
            (response: StreamRequest) => response.count,
          ),
        stream: (count) => countMessages(client.Stream!(create(StreamRequestSchema, { count })) as grpc.ClientReadableStream<unknown>),
        pingPong: () => pingPongOver(client.PingPong!() as grpc.ClientDuplexStream<Small, Small>, (v) => create(SmallSchema, v)),
        close: () => client.close(),
      };
      return api;
    },
  };
}

function wrapAll<H extends Record<string, (...args: never[]) => void>>(handlers: H, wrap: HandlerWrapper): grpc.UntypedServiceImplementation {
  return Object.fromEntries(Object.entries(handlers).map(([key, handler]) => [key, wrap(handler)])) as grpc.UntypedServiceImplementation;
}
