// File import speed: events/s of `posops import` (read, validate, dedupe, append with fsync)
// against events/s of JSON.parse alone on the same lines, measured in the same run.
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateEvent } from '../src/domain/index.ts';
import { createIngestor, defaultLineWorkers, importNdjsonFile } from '../src/ingest/index.ts';
import { openSegmentLog } from '../src/log/index.ts';
import type { BenchResult } from './run.ts';

const SAMPLE = fileURLToPath(new URL('../../shared/samples/small/events.ndjson', import.meta.url));

/** CPU time (ms, user + system) since `from`: a second opinion on a shared machine. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function best(runs: number, fn: () => void): { ms: number; cpu: number } {
  let fastest = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    fastest = Math.min(fastest, performance.now() - t0);
    cpu = Math.min(cpu, cpuMs(c0));
  }
  return { ms: fastest, cpu };
}

async function importOnce(path: string, workers: number): Promise<{ ms: number; cpu: number; accepted: number; duplicates: number; bytes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-bench-'));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const log = await openSegmentLog(dir);
    const ingestor = await createIngestor({ log });
    const result = await importNdjsonFile(ingestor, path, { workers });
    await ingestor.close();
    const bytes = log.bytes();
    await log.close();
    return { ms: performance.now() - t0, cpu: cpuMs(c0), accepted: result.accepted, duplicates: result.duplicates, bytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  const ok = await access(SAMPLE).then(() => true, () => false);
  if (!ok) {
    process.stderr.write(`ingest-file: sample ${SAMPLE} is absent; skipped (it ships in /work/shared/samples)\n`);
    return [{ name: 'import file', value: NaN, unit: 'events/s', note: `sample absent: ${SAMPLE}` }];
  }
  const lines = (await readFile(SAMPLE, 'utf8')).split('\n').filter((l) => l.length > 0);
  const parse = best(3, () => {
    for (const l of lines) JSON.parse(l);
  });
  const validate = best(2, () => {
    for (const l of lines) validateEvent(JSON.parse(l));
  });
  const floor = lines.length / (parse.ms / 1000);
  const rows: BenchResult[] = [
    { name: 'JSON.parse per line (floor)', value: floor, unit: 'events/s', note: `${lines.length} lines; CPU ${Math.round(parse.cpu)} ms` },
    { name: 'parse + validateEvent', value: lines.length / (validate.ms / 1000), unit: 'events/s', floor, ratio: lines.length / (validate.ms / 1000) / floor, note: `CPU ${Math.round(validate.cpu)} ms` },
  ];
  // the default for this file: the line pool with defaultLineWorkers() workers; in-thread for comparison
  for (const workers of [defaultLineWorkers(), 0]) {
    const imports = [await importOnce(SAMPLE, workers), await importOnce(SAMPLE, workers)];
    const fastest = imports.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const rate = fastest.accepted / (fastest.ms / 1000);
    const cpu = Math.min(...imports.map((i) => i.cpu));
    rows.push({
      name: workers === 0 ? 'import file, in-thread' : `import file into a fresh durable log (${workers} worker${workers > 1 ? 's' : ''})`,
      value: rate,
      unit: 'events/s',
      floor,
      ratio: rate / floor,
      note: `${fastest.accepted} accepted, ${fastest.duplicates} duplicates, ${(fastest.bytes / 1e6).toFixed(1)} MB log, best of 2; CPU ${Math.round(cpu)} ms all threads (floor ${Math.round(parse.cpu)} ms); target ratio >= 0.5`,
    });
  }
  return rows;
}
