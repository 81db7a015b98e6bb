import type { Client, Interceptor } from "@grpc/grpc-js";
import type { Metadata } from "../../metadata.js";
import type { MethodDefinition } from "../../method-definition.js";
import type { RequestSink, ResponseStream, SingleResponseCallback, Transport, TransportCall, TransportCallOptions } from "../transport.js";
import { toGrpcMetadata } from "./grpc-metadata.js";
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
      const grpcMetadata = toGrpcMetadata(metadata);
      const grpcOptions = toGrpcCallOptions(options, grpcMetadata, interceptors);
      return client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request as never, grpcMetadata, grpcOptions, callback);
    },
    serverStreaming(method: MethodDefinition, request: unknown, metadata: Metadata, options: TransportCallOptions): ResponseStream {
      const grpcMetadata = toGrpcMetadata(metadata);
      const grpcOptions = toGrpcCallOptions(options, grpcMetadata, interceptors);
      return client.makeServerStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, request as never, grpcMetadata, grpcOptions);
    },
    clientStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions, callback: SingleResponseCallback): RequestSink {
      const grpcMetadata = toGrpcMetadata(metadata);
      const grpcOptions = toGrpcCallOptions(options, grpcMetadata, interceptors);
      return client.makeClientStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, grpcMetadata, grpcOptions, callback);
    },
    bidiStreaming(method: MethodDefinition, metadata: Metadata, options: TransportCallOptions): RequestSink & ResponseStream {
      const grpcMetadata = toGrpcMetadata(metadata);
      const grpcOptions = toGrpcCallOptions(options, grpcMetadata, interceptors);
      return client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, grpcMetadata, grpcOptions);
    },
    close(): void {
      client.close();
    },
  };
}
