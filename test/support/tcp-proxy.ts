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
    for (const [a, b] of [
      [downstream, upstream],
      [upstream, downstream],
    ] as const) {
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
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/**
 * A loopback TCP proxy that injects faults into the connections it carries:
 * it resets them, stalls them (drops every byte from then on), and delays or
 * fragments what it forwards. Faults act on the connections open when they
 * are injected; connections opened later are healthy unless a delay or
 * fragmentation is set.
 */
export interface FaultProxy {
  readonly port: number;
  /** Resets every open connection: a TCP RST to both the client and the server. */
  reset(): void;
  /** Stops forwarding on every open connection, in both directions, until it is closed: the peers hear nothing more. */
  stall(): void;
  /**
   * Delays each chunk forwarded from now on by `delayMs()` milliseconds
   * (order kept), and splits it into pieces of at most `pieceBytes()` bytes,
   * each written on a later turn of the event loop; `undefined` turns either off.
   */
  shape(options: { readonly delayMs?: (() => number) | undefined; readonly pieceBytes?: (() => number) | undefined }): void;
  close(): void;
}

/** Starts a {@link FaultProxy} on 127.0.0.1 forwarding to `upstreamPort`. */
export async function startFaultProxy(upstreamPort: number): Promise<FaultProxy> {
  const links = new Set<Link>();
  let shaping: Shaping = {};
  const server = createServer((downstream) => {
    const link = createLink(downstream, createConnection(upstreamPort, "127.0.0.1"), () => shaping);
    links.add(link);
    link.closed.then(
      () => links.delete(link),
      () => links.delete(link),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    reset() {
      for (const link of links) link.reset();
    },
    stall() {
      for (const link of links) link.stall();
    },
    shape(options) {
      shaping = { delayMs: options.delayMs, pieceBytes: options.pieceBytes };
    },
    close() {
      for (const link of links) link.reset();
      server.close();
    },
  };
}

interface Shaping {
  readonly delayMs?: (() => number) | undefined;
  readonly pieceBytes?: (() => number) | undefined;
}

/** One proxied connection: the client's socket and the one to the server. */
interface Link {
  /** Settles once both sockets are closed. */
  readonly closed: Promise<unknown>;
  reset(): void;
  stall(): void;
}

function createLink(downstream: Socket, upstream: Socket, shaping: () => Shaping): Link {
  let stalled = false;
  const forward = (from: Socket, to: Socket): void => {
    // Chunks leave in arrival order, each no earlier than its own due time.
    let chain = Promise.resolve();
    from.on("data", (chunk: Buffer) => {
      if (stalled) return;
      const { delayMs, pieceBytes } = shaping();
      const due = Date.now() + (delayMs?.() ?? 0);
      chain = chain.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (let offset = 0; offset < chunk.length && !stalled && !to.destroyed; ) {
          const size = pieceBytes === undefined ? chunk.length : Math.max(1, pieceBytes());
          to.write(chunk.subarray(offset, offset + size));
          offset += size;
          if (pieceBytes !== undefined) await new Promise(setImmediate);
        }
      });
    });
    // A clean end travels on after the chunks before it; an abrupt close resets the other side.
    from.on("end", () => {
      chain = chain.then(() => void to.end());
    });
    from.on("error", () => {});
    from.on("close", () => {
      if (!from.readableEnded) resetSocket(to);
    });
  };
  forward(downstream, upstream);
  forward(upstream, downstream);
  return {
    closed: Promise.all([downstream, upstream].map((socket) => new Promise((resolve) => socket.once("close", resolve)))),
    reset() {
      resetSocket(downstream);
      resetSocket(upstream);
    },
    stall() {
      stalled = true;
    },
  };
}

function resetSocket(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}
