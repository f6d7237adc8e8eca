// writeSimFiles: runs the fleet and writes fleet.json, events.ndjson (arrival order) and truth.json.
// Large fleets run part of their terminals in a worker thread (files.worker.ts); the lines are
// queued in the same order as in one thread, so the files are the same either way.
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { DAY, MINUTE } from './clock.ts';
import { ArrivalQueue } from './arrival.ts';
import { FleetPart } from './files.part.ts';
import { createTerminalSims } from './fleet.ts';
import { mixSeed } from './random.ts';
import { buildTruth, type TruthSim } from './truth.ts';
import type { PartSlice } from './files.worker.ts';
import type { SimFleet } from './types.ts';

const SLICE_MS = 10 * MINUTE;
const CHUNK_LINES = 256;
/** Share of the terminals the worker runs: the main thread also queues and writes every line. */
const WORKER_SHARE = 0.6;
/** Below this many terminal-days the worker's start-up costs more than it saves. */
const WORKER_MIN_TERMINAL_DAYS = 1500;

export type SimProgress = (done: number, total: number, events: number) => void;

export interface SimWriteOptions {
  /** 0: everything in this thread; 1: part of the terminals in a worker. Default: 1 for large fleets when a core is free. */
  workers?: number;
}

function writeChunk(stream: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

/**
 * A worker only pays when a core is free for it: on a machine already busy with other work it
 * adds the hand-over (copying and splitting the lines) to the CPU time and is no faster. The
 * files are the same either way.
 */
function defaultWorkers(fleet: SimFleet): number {
  const terminalDays = (fleet.profiles.length * (fleet.end - fleet.start)) / DAY;
  const cores = availableParallelism();
  return cores >= 2 && terminalDays >= WORKER_MIN_TERMINAL_DAYS && loadavg()[0]! <= cores - 1 ? 1 : 0;
}

function queueSlice(queue: ArrivalQueue, slice: PartSlice): void {
  const n = slice.times.length / 2;
  if (n === 0) return;
  const lines = slice.text.split('\n');
  const times = slice.times;
  for (let i = 0; i < n; i++) queue.push(times[2 * i]!, lines[i]!, times[2 * i + 1]!);
}

/** The truth needs the issuer hits and daily limits of every terminal, the worker's included, in fleet order. */
async function truthSims(local: TruthSim[], part: FleetPart | undefined, fleet: SimFleet): Promise<TruthSim[]> {
  if (!part) return local;
  const issuers = await part.issuers();
  const remote = fleet.profiles.slice(part.from, part.to).map((p, i) => ({ p, issuerHits: issuers[3 * i]!, issuerSince: issuers[3 * i + 1]!, limitRefusedAt: issuers[3 * i + 2]! }));
  return [...local, ...remote];
}

/** Runs the whole fleet and writes the three files into outDir; resolves with the number of event lines. */
export async function writeSimFiles(fleet: SimFleet, outDir: string, onProgress?: SimProgress, opts: SimWriteOptions = {}): Promise<{ events: number; at: string }> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'fleet.json'), JSON.stringify(fleet.registry, null, 1) + '\n');
  const queue = new ArrivalQueue(mixSeed(fleet.seed, 0xa771));
  const n = fleet.profiles.length;
  const split = (opts.workers ?? defaultWorkers(fleet)) > 0 ? Math.max(1, Math.round(n * (1 - WORKER_SHARE))) : n;
  const part = split < n ? new FleetPart(fleet, split, n, SLICE_MS) : undefined;
  try {
    const sink = (arrival: number, line: string, ts: number) => queue.push(arrival, line, ts);
    const sims = createTerminalSims({ ...fleet, profiles: fleet.profiles.slice(0, split) }, () => sink);
    if (part) queueSlice(queue, await part.slice(0));
    const stream = createWriteStream(join(outDir, 'events.ndjson'), { highWaterMark: 4 << 20 });
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    let lines: string[] = [];
    const total = Math.ceil((fleet.end - fleet.start) / SLICE_MS);
    for (let k = 1; k <= total; k++) {
      const until = Math.min(fleet.end, fleet.start + k * SLICE_MS);
      for (const sim of sims) sim.advance(until);
      if (part) queueSlice(queue, await part.slice(k));
      queue.releaseUntil(until, lines);
      if (lines.length >= CHUNK_LINES || (k === total && lines.length > 0)) {
        const wait = writeChunk(stream, lines.join('\n') + '\n');
        lines = [];
        if (wait) await wait;
      }
      onProgress?.(k, total, queue.released);
    }
    stream.end();
    await finished;
    const at = Number.isFinite(queue.maxTs) ? queue.maxTs : fleet.end;
    const truth = buildTruth(fleet, await truthSims(sims, part, fleet), at);
    await writeFile(join(outDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');
    return { events: queue.released, at: truth.at };
  } finally {
    await part?.close();
  }
}
