import { Client, credentials as grpcCredentials, type Channel } from "@grpc/grpc-js";
import type { ClientOptions } from "../../client/client-options.js";
import { withCompression } from "../../compression/compression.js";
import { addressListTarget } from "../../load-balancing/address-list.js";
import type { ServiceDefinition } from "../../method-definition.js";
import { withServiceConfig } from "../../service-config/service-config.js";

/** What a grpc-js client can be made from: an address, a list of addresses, a `Client` (shared) or a `Channel`. */
export type GrpcJsSource = string | readonly string[] | Client | Channel;

/**
 * The grpc-js `Client` for `source`: the client itself, or a new one dialing
 * the address (with the client options' credentials, compression, retries
 * and load balancing) or over the channel.
 */
export function toGrpcClient(source: GrpcJsSource, options: ClientOptions, definition: ServiceDefinition): Client {
  if (source instanceof Client) {
    return source;
  }
  const creds = options.credentials ?? grpcCredentials.createInsecure();
  if (isAddressList(source)) {
    return toGrpcClient(addressListTarget(source), options, definition);
  }
  if (typeof source === "string") {
    const channelOptions = withServiceConfig(withCompression(options.channelOptions, options.compression), definition, options);
    return new Client(source, creds, channelOptions);
  }
  return new Client("unused", creds, { ...withCompression(options.channelOptions, options.compression), channelOverride: source });
}

// Array.isArray does not narrow readonly arrays.
function isAddressList(source: GrpcJsSource): source is readonly string[] {
  return Array.isArray(source);
}
