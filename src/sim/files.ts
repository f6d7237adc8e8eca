// writeSimFiles: runs the fleet and writes fleet.json, events.ndjson (arrival order) and truth.json.
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MINUTE } from './clock.ts';
import { ArrivalQueue } from './arrival.ts';
import { createTerminalSims } from './fleet.ts';
import { mixSeed } from './random.ts';
import { buildTruth } from './truth.ts';
import type { SimFleet } from './types.ts';

const SLICE_MS = 10 * MINUTE;
const CHUNK_LINES = 256;

export type SimProgress = (done: number, total: number, events: number) => void;

function writeChunk(stream: NodeJS.WritableStream, chunk: string): Promise<void> | undefined {
  if (stream.write(chunk)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

/** Runs the whole fleet and writes the three files into outDir; resolves with the number of event lines. */
export async function writeSimFiles(fleet: SimFleet, outDir: string, onProgress?: SimProgress): Promise<{ events: number; at: string }> {
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'fleet.json'), JSON.stringify(fleet.registry, null, 1) + '\n');
  const queue = new ArrivalQueue(mixSeed(fleet.seed, 0xa771));
  const sink = (arrival: number, line: string, ts: number) => queue.push(arrival, line, ts);
  const sims = createTerminalSims(fleet, () => sink);
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
  const truth = buildTruth(fleet, sims, at);
  await writeFile(join(outDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');
  return { events: queue.released, at: truth.at };
}
