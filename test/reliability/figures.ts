import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeName } from "@stubwright/runtime/status";
import { reliabilityOptions } from "./reliability-options.js";
import { startedPids, type MemorySample } from "./server-child.js";

/** A server's memory (after forced GCs) before and after a section's faults. */
export interface MemoryFigure {
  readonly server: string;
  readonly before: MemorySample;
  readonly after: MemorySample;
}

/** What one section did, as run.mjs prints it. */
export interface SectionFigures {
  readonly section: string;
  readonly seed: number;
  readonly scale: number;
  durationMs: number;
  /** Calls made (gRPC calls, raw HTTP/2 requests, plugin runs). */
  calls: number;
  /** Faults injected, by kind. */
  readonly faults: Record<string, number>;
  /** How calls ended, by status (or by HTTP status / RST / plugin outcome where there is no gRPC status). */
  readonly statuses: Record<string, number>;
  readonly memory: MemoryFigure[];
  /** Process ids of the children the section started, for run.mjs's leftover-process check. */
  childPids: number[];
  /** Things worth reading in the report: deviations seen and accepted, behaviours detected. */
  readonly notes: string[];
}

/** Collects a section's figures and writes them where run.mjs reads them. */
export interface Figures {
  readonly data: SectionFigures;
  /** Counts one call that ended with `status` (a code, or a description). */
  call(status: number | string): void;
  /** Counts `count` injected faults of `kind`. */
  fault(kind: string, count?: number): void;
  memory(server: string, before: MemorySample, after: MemorySample): void;
  /** Adds a note once (repeats are counted). */
  note(text: string): void;
  /** Writes the figures as `<section>.json` (when run through run.mjs). */
  write(): void;
}

/** Starts the figures of `section`; its clock starts now. */
export function createFigures(section: string): Figures {
  const started = performance.now();
  const data: SectionFigures = {
    section,
    seed: reliabilityOptions.seed,
    scale: reliabilityOptions.scale,
    durationMs: 0,
    calls: 0,
    faults: {},
    statuses: {},
    memory: [],
    childPids: [],
    notes: [],
  };
  const notes = new Map<string, number>();
  return {
    data,
    call(status) {
      data.calls++;
      const name = typeof status === "number" ? statusName(status) : status;
      data.statuses[name] = (data.statuses[name] ?? 0) + 1;
    },
    fault(kind, count = 1) {
      data.faults[kind] = (data.faults[kind] ?? 0) + count;
    },
    memory(server, before, after) {
      data.memory.push({ server, before, after });
    },
    note(text) {
      notes.set(text, (notes.get(text) ?? 0) + 1);
    },
    write() {
      data.durationMs = Math.round(performance.now() - started);
      data.childPids = [...startedPids];
      data.notes.splice(0, data.notes.length, ...[...notes].map(([text, count]) => (count > 1 ? `${text} (x${count})` : text)));
      const dir = reliabilityOptions.figuresDir;
      if (dir !== undefined) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${section}.json`), JSON.stringify(data, null, 2));
      }
    },
  };
}

/** A status code's name, "OK" included. */
export function statusName(code: number): string {
  return code === 0 ? "OK" : codeName(code);
}
