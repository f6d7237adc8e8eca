import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { engineView } from '../engine/index.ts';
import { merged, registry, shopDays, terminal } from '../engine/test-builders.ts';
import { diagnoseFilesWithStats } from './diagnose.ts';
import { digestEvents } from './diagnose.chunk.ts';
import { readDigests } from './diagnose.read.ts';

function sampleFiles(): { dir: string; events: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'posops-digest-'));
  const reg = registry(['T1', 'T2', 'T3'].map((t) => terminal({ terminal: t })));
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(reg));
  const lines = merged(...['T1', 'T2', 'T3'].map((t, i) => shopDays({ terminal: t, days: 1, open: 60, close: 900, seed: i + 1 }))).map((e) => {
    const { tsMs: _ms, ...rest } = e;
    return JSON.stringify(rest);
  });
  lines.splice(700, 0, 'not json at all', '', lines[3]!, '{"v":1,"id":"z","type":"txn","terminal":"T1","ts":"2026-06-04T01:00:00Z","bin":"6228480012345678"}');
  const events = join(dir, 'events.ndjson');
  writeFileSync(events, '\ufeff' + lines.join('\r\n') + '\r\n');
  writeFileSync(`${events}.gz`, gzipSync('\ufeff' + lines.join('\r\n') + '\r\n'));
  return { dir, events, lines };
}

async function collect(path: string, workers: number): Promise<{ invalid: string[]; events: number; views: unknown[]; keys: number[] }> {
  const out = { invalid: [] as string[], events: 0, views: [] as unknown[], keys: [] as number[] };
  for await (const { digest, firstLine } of readDigests(path, { workers, chunkBytes: 16 * 1024 })) {
    for (const i of digest.invalid) out.invalid.push(`${firstLine + i.index}: ${i.error}`);
    const evs = digestEvents(digest);
    out.events += evs.length;
    for (const e of evs) out.views.push(engineView(e));
    out.keys.push(...digest.keys);
  }
  return out;
}

test('worker threads and in-thread digests agree: line numbers across chunks, BOM, CRLF, gzip, PAN refused', async () => {
  const { events, lines } = sampleFiles();
  const inThread = await collect(events, 0);
  assert.equal(inThread.events, lines.length - 3);
  assert.equal(inThread.invalid.length, 2);
  assert.match(inThread.invalid[0]!, /^701: not valid JSON/);
  assert.match(inThread.invalid[1]!, /^704: .*card number/);
  assert.deepEqual(await collect(events, 2), inThread);
  assert.deepEqual(await collect(`${events}.gz`, 1), inThread);
  assert.equal(new Set(inThread.keys).size, inThread.keys.length - 1, 'the repeated line has the same key, no other keys collide');
});

test('diagnose with worker threads gives the same report and counts as in-thread', async () => {
  const { dir, events } = sampleFiles();
  const warnings: string[][] = [[], []];
  const [a, b] = await Promise.all([0, 2].map((workers, i) => diagnoseFilesWithStats({ fleet: join(dir, 'fleet.json'), events: [events], workers, warn: (l) => warnings[i]!.push(l) })));
  assert.deepEqual(b, a);
  assert.equal(a!.duplicates, 1);
  assert.equal(a!.invalid, 2);
  assert.deepEqual(warnings[1], warnings[0]);
});
