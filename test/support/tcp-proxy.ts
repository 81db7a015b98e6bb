import { createConnection, createServer, type AddressInfo, type Socket } from "node:net";

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * A loopback TCP proxy in front of a plaintext gRPC server that watches what
 * the client sends: total bytes and HTTP/2 PING frames (not acks). Lets tests
 * check behaviour on the wire (compression, keepalive) instead of trusting
 * that options were passed on.
 */
export interface WireProbe {
  readonly port: number;
  /** Bytes the client sent so far. */
  readonly bytesFromClient: number;
  /** PING frames the client sent so far. */
  readonly pingsFromClient: number;
  /** Resolves once the client has sent `count` PING frames in all. */
  pings(count: number): Promise<void>;
  close(): void;
}

/** Starts a {@link WireProbe} on 127.0.0.1 forwarding to `upstreamPort`. */
export async function startWireProbe(upstreamPort: number): Promise<WireProbe> {
  let bytes = 0;
  let pings = 0;
  const pingWaiters: { count: number; resolve: () => void }[] = [];
  const notePing = (): void => {
    pings++;
    for (const waiter of pingWaiters.filter((w) => w.count <= pings)) {
      pingWaiters.splice(pingWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const sockets = new Set<Socket>();
  const server = createServer((downstream) => {
    const upstream = createConnection(upstreamPort, "127.0.0.1");
    sockets.add(downstream).add(upstream);
    let pending = Buffer.alloc(0);
    let prefaceSeen = false;
    downstream.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      bytes += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      if (!prefaceSeen && pending.length >= preface.length) {
        pending = pending.subarray(preface.length);
        prefaceSeen = true;
      }
      // Each frame: 3-byte payload length, type, flags, 4-byte stream id, payload.
      while (prefaceSeen && pending.length >= 9 && pending.length >= 9 + pending.readUIntBE(0, 3)) {
        if (pending[3] === 0x6 && ((pending[4] ?? 0) & 0x1) === 0) notePing();
        pending = pending.subarray(9 + pending.readUIntBE(0, 3));
      }
    });
    upstream.on("data", (chunk: Buffer) => downstream.write(chunk));
    for (const [a, b] of [[downstream, upstream], [upstream, downstream]] as const) {
      a.on("close", () => b.destroy());
      a.on("error", () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get bytesFromClient() {
      return bytes;
    },
    get pingsFromClient() {
      return pings;
    },
    pings(count) {
      return new Promise((resolve) => {
        if (pings >= count) resolve();
        else pingWaiters.push({ count, resolve });
      });
    },
    close() {
      sockets.forEach((socket) => socket.destroy());
      server.close();
    },
  };
}
