import { once } from "node:events";
import { within } from "./bounded.js";
import { serverPrograms, startServerChild, type ServerChild } from "./server-child.js";

/** How a handler of the echo server child ended one call (see echo-server-child.mjs). */
export interface CallRecord {
  readonly id: string;
  readonly method: string;
  /** How the handler's request stream ended; "none" for a single request, or when the handler stopped reading first. */
  readonly requestEnd: "none" | "normal" | "error";
  /** The RpcError code the request stream failed with. */
  readonly requestCode: number | undefined;
  /** Request messages the handler read. */
  readonly count: number;
  readonly outcome: "returned" | "threw";
  /** The RpcError code the handler ended with. */
  readonly code: number | undefined;
  /** The code its signal aborted with, if it did. */
  readonly abortCode: number | undefined;
}

/** The instrumented EchoService in a child process, and what its handlers reported. */
export interface EchoChild extends ServerChild {
  /** Call ids whose handler started. */
  readonly startedIds: ReadonlySet<string>;
  /** The record of every call whose handler finished, by call id. */
  readonly records: ReadonlyMap<string, CallRecord>;
  /**
   * Resolves once the handler of call `id` started, or once `until` settles
   * (the call ended without reaching the handler); rejects after `boundMs`.
   */
  started(id: string, until: Promise<unknown>, boundMs?: number): Promise<void>;
  /** Resolves with the record of call `id` once its handler finished. */
  finished(id: string, boundMs?: number): Promise<CallRecord>;
  /** How many handlers are running now. */
  inflight(): Promise<number>;
}

/** Starts echo-server-child.mjs on `address` (default 127.0.0.1:0). */
export async function startEchoChild(address?: string): Promise<EchoChild> {
  const child = await startServerChild(serverPrograms.echo(address));
  const startedIds = new Set<string>();
  const records = new Map<string, CallRecord>();
  child.messages.on("start", (message: { id: string }) => {
    startedIds.add(message.id);
    child.messages.emit(`start:${message.id}`);
  });
  child.messages.on("finish", (record: CallRecord) => {
    records.set(record.id, record);
    child.messages.emit(`finish:${record.id}`, record);
  });
  return {
    ...child,
    startedIds,
    records,
    async started(id: string, until: Promise<unknown>, boundMs = 30_000) {
      if (startedIds.has(id)) return;
      const stop = new AbortController();
      void until.finally(() => stop.abort());
      const start = once(child.messages, `start:${id}`, { signal: stop.signal }).catch((error: unknown) => {
        if (!stop.signal.aborted) throw error;
      });
      await within(start, boundMs, `the handler of call ${id} to start`).finally(() => stop.abort());
    },
    async finished(id: string, boundMs = 30_000) {
      const known = records.get(id);
      if (known !== undefined) return known;
      const [record] = (await within(once(child.messages, `finish:${id}`), boundMs, `the handler of call ${id} to finish`)) as [CallRecord];
      return record;
    },
    async inflight() {
      const answer = once(child.messages, "inflight") as Promise<[{ count: number }]>;
      child.send({ type: "inflight" });
      return (await within(answer, 30_000, "the echo child's in-flight count"))[0].count;
    },
  };
}
