import type { Client, Interceptor, Metadata } from "@grpc/grpc-js";
import type { MethodDefinition } from "../../method-definition.js";
import type { RequestSink, ResponseStream, SingleResponseCallback, Transport, TransportCall, TransportCallOptions } from "../transport.js";
import { toGrpcCallOptions } from "./grpc-call-options.js";

/** A transport over a grpc-js `Client` (HTTP/2), with the client's own grpc-js interceptors. */
export interface GrpcJsTransport extends Transport {
  /** The grpc-js client underneath. */
  readonly client: Client;
}

/**
 * Creates the transport that carries calls over grpc-js. Each call is
 * grpc-js's own call object, handed to the client core as it is.
 */
export function createGrpcJsTransport(client: Client, interceptors?: readonly Interceptor[]): GrpcJsTransport {
  return {
    kind: "transport",
    client,
    get target(): string {
      return client.getChannel().getTarget();
    },
    unary(method: MethodDefinition, request: unknown, metadata: Metadata, options: TransportCallOptions, callback: SingleResponseCallback): TransportCall {
      const grpcOptions = toGrpcCallOptions(options, metadata, interceptors);
      return client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request as never, metadata, grpcOptions, callback);
    },
    serverStreaming(method: MethodDefinition, request: unknown, metadata: Metadata, options: TransportCallOptions): ResponseStream {
      const grpcOptions = toGrpcCallOptions(options, metadata, interceptors);
      return client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request as never, metadata, grpcOptions);
    },
    clientStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions, callback: SingleResponseCallback): RequestSink {
      const grpcOptions = toGrpcCallOptions(options, metadata, interceptors);
      return client.makeClientStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, metadata, grpcOptions, callback);
    },
    bidiStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions): RequestSink & ResponseStream {
      const grpcOptions = toGrpcCallOptions(options, metadata, interceptors);
      return client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, metadata, grpcOptions);
    },
    close(): void {
      client.close();
    },
  };
}
