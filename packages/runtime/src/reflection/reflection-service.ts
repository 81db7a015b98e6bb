import { toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code } from "../code.js";
import { ServerReflectionDefinition as ReflectionV1 } from "../gen/grpc/reflection/v1/reflection_grpc.js";
import { ServerReflectionDefinition as ReflectionV1Alpha } from "../gen/grpc/reflection/v1alpha/reflection_grpc.js";
import type { ServiceDefinition } from "../method-definition.js";
import type { StubwrightServer } from "../server/create-server.js";
import type { ServerCallContext } from "../server/server-context.js";
import { createDescriptorIndex, withDependencies, type DescriptorIndex } from "./descriptor-index.js";

/** Options for {@link addReflectionService}. */
export interface ReflectionOptions {
  /**
   * Extra file descriptors to serve (the `file_…` exports of `_pb` files), for
   * a service whose .proto file declares none of the messages its methods
   * use. Files are otherwise found through the methods' message schemas.
   */
  readonly files?: readonly DescFile[] | undefined;
}

/**
 * A reflection request as both protocol versions decode it (v1 and v1alpha
 * are the same messages under two package names).
 */
interface ReflectionRequest {
  readonly host: string;
  readonly messageRequest:
    | { readonly case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; readonly value: string }
    | { readonly case: "fileContainingExtension"; readonly value: { readonly containingType: string; readonly extensionNumber: number } }
    | { readonly case: undefined; readonly value?: undefined };
}

/**
 * Serves `grpc.reflection.v1.ServerReflection` and its `v1alpha` twin on
 * `server`, describing every service added to it (before or after this call)
 * from the descriptors protoc-gen-es embeds in generated code, so tools such
 * as `buf curl` and grpcurl can list and call its methods without .proto files.
 */
export function addReflectionService(server: StubwrightServer, options: ReflectionOptions = {}): void {
  let cached: { readonly count: number; readonly index: DescriptorIndex } | undefined;
  // Services can be added later; rebuild the index when the list changed.
  const index = (): DescriptorIndex => {
    if (cached?.count !== server.definitions.length) {
      cached = { count: server.definitions.length, index: createDescriptorIndex([...(options.files ?? []), ...filesOf(server.definitions)]) };
    }
    return cached.index;
  };
  const serverReflectionInfo = async function* (requests: AsyncIterable<ReflectionRequest>, _context: ServerCallContext) {
    // Like grpc-go, send each dependency only once per stream: clients cache them.
    const sent = new Set<DescFile>();
    for await (const request of requests) {
      yield answer(request, index(), serviceNames(server.definitions), sent);
    }
  };
  server.add(ReflectionV1, { serverReflectionInfo });
  server.add(ReflectionV1Alpha, { serverReflectionInfo });
}

function answer(request: ReflectionRequest, index: DescriptorIndex, services: readonly string[], sent: Set<DescFile>) {
  const { messageRequest } = request;
  const originalRequest = { host: request.host, messageRequest: { ...messageRequest } };
  const base = { validHost: request.host, originalRequest };
  const files = (file: DescFile | undefined, what: string) =>
    file === undefined
      ? error(base, Code.NOT_FOUND, `${what} not found`)
      : { ...base, messageResponse: { case: "fileDescriptorResponse" as const, value: { fileDescriptorProto: encode(file, sent) } } };
  switch (messageRequest.case) {
    case "fileByFilename":
      return files(index.fileByName(messageRequest.value), `File "${messageRequest.value}"`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(messageRequest.value), `Symbol "${messageRequest.value}"`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = messageRequest.value;
      return files(index.fileContainingExtension(containingType, extensionNumber), `Extension ${extensionNumber} of "${containingType}"`);
    }
    case "allExtensionNumbersOfType": {
      if (index.fileContainingSymbol(messageRequest.value) === undefined) {
        return error(base, Code.NOT_FOUND, `Type "${messageRequest.value}" not found`);
      }
      const extensionNumber = index.extensionNumbersOf(messageRequest.value);
      return { ...base, messageResponse: { case: "allExtensionNumbersResponse" as const, value: { baseTypeName: messageRequest.value, extensionNumber } } };
    }
    case "listServices":
      return { ...base, messageResponse: { case: "listServicesResponse" as const, value: { service: services.map((name) => ({ name })) } } };
    default:
      return error(base, Code.INVALID_ARGUMENT, "Empty reflection request");
  }
}

function error<B extends object>(base: B, code: Code, message: string) {
  return { ...base, messageResponse: { case: "errorResponse" as const, value: { errorCode: code, errorMessage: message } } };
}

/** The requested file first, then its dependencies not yet sent on this stream. */
function encode(file: DescFile, sent: Set<DescFile>): Uint8Array[] {
  const out = [
    file,
    ...withDependencies(file)
      .slice(1)
      .filter((dep) => !sent.has(dep)),
  ];
  for (const f of out) sent.add(f);
  return out.map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
}

function filesOf(definitions: readonly ServiceDefinition[]): DescFile[] {
  return definitions.flatMap((definition) => Object.values(definition).flatMap((method) => [method.requestSchema.file, method.responseSchema.file]));
}

function serviceNames(definitions: readonly ServiceDefinition[]): string[] {
  const names = definitions.flatMap((definition) => Object.values(definition).map((method) => method.path.slice(1, method.path.lastIndexOf("/"))));
  return [...new Set(names)];
}
