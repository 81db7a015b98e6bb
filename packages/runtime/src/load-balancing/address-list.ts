import { isIPv4, isIPv6 } from "node:net";

/**
 * Turns a list of `host:port` addresses (IP literals, IPv6 in brackets) into
 * one grpc-js target (`ipv4:a:1,b:2` or `ipv6:[::1]:1,...`), so a client can
 * balance over them (see `ClientOptions.loadBalancing`). For DNS names use a
 * `dns:///name:port` target instead: grpc-js balances over what it resolves to.
 */
export function addressListTarget(addresses: readonly string[]): string {
  if (addresses.length === 0) {
    throw new TypeError("an address list needs at least one address");
  }
  const families = new Set(addresses.map(familyOf));
  if (families.size > 1) {
    throw new TypeError("an address list must be all IPv4 or all IPv6 (grpc-js takes one family per target)");
  }
  return `${[...families][0]}:${addresses.join(",")}`;
}

function familyOf(address: string): "ipv4" | "ipv6" {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const host = match?.[1] ?? match?.[2];
  if (host !== undefined && match?.[1] !== undefined && isIPv6(host)) {
    return "ipv6";
  }
  if (host !== undefined && match?.[2] !== undefined && isIPv4(host)) {
    return "ipv4";
  }
  throw new TypeError(`"${address}" is not an IP address with a port, e.g. 127.0.0.1:50051 or [::1]:50051`);
}
