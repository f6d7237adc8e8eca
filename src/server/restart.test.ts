// Diagnoses across restarts: the history rows a server wrote survive it, a restart neither forgets nor
// re-opens them, and an engine restored from a snapshot plus the rest of the log answers like a full replay.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { readConfig } from '../config.ts';
import { parseRegistryJson, type DiagnosisReport, type Registry } from '../domain/index.ts';
import { createEngine } from '../engine/index.ts';
import { decodeLogRecord } from '../ingest/index.ts';
import { openSegmentLog } from '../log/index.ts';
import { getKv, listDiagnosisHistory, openStore, setKv, upsertRegistry } from '../store/index.ts';
import { restoreEngine, saveEngineSnapshot, SNAPSHOT_KEY } from './engine.restore.ts';
import { startServer } from './runtime.ts';

const SAMPLE = '/work/shared/samples/small';
const folders: string[] = [];
const servers: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const f of folders) await rm(f, { recursive: true, force: true });
});

async function tempFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-restart-'));
  folders.push(dir);
  return dir;
}

async function sampleLines(count: number): Promise<string[]> {
  const out: string[] = [];
  const lines = createInterface({ input: createReadStream(join(SAMPLE, 'events.ndjson')) });
  for await (const line of lines) {
    if (line.trim()) out.push(line);
    if (out.length >= count) break;
  }
  lines.close();
  return out;
}

async function sampleRegistry(): Promise<Registry> {
  return parseRegistryJson(await readFile(join(SAMPLE, 'fleet.json'), 'utf8')).registry;
}

/** The latest event time of the lines: the clock the test diagnoses at. */
function lastTime(lines: readonly string[]): number {
  return Math.max(...lines.map((l) => Date.parse((JSON.parse(l) as { ts: string }).ts)));
}

const statuses = (r: DiagnosisReport) => r.terminals.map((t) => `${t.terminal}:${t.status}:${t.diagnoses.map((d) => `${d.cause}@${d.confidence.toFixed(2)}`).join(',')}`);

test('a restart keeps the diagnosis history, restores the engine from its snapshot, and re-opens nothing', { timeout: 120_000 }, async () => {
  const data = await tempFolder();
  const lines = await sampleLines(24_000);
  const now = lastTime(lines) + 60_000;
  const config = readConfig({ data, port: '0', mqttPort: '0', auth: 'off', logLevel: 'silent' }, {});
  const seed = await openStore({ dataDir: data });
  await upsertRegistry(seed, await sampleRegistry());
  await seed.close();

  const first = await startServer(config, { now: () => now, tickMs: 3_600_000 });
  servers.push(first);
  let accepted = 0;
  for (let i = 0; i < lines.length; i += 6000) {
    const res = await first.app.inject({ method: 'POST', url: '/api/v1/events', headers: { 'content-type': 'application/x-ndjson' }, payload: lines.slice(i, i + 6000).join('\n') });
    assert.equal(res.statusCode, 200, res.body);
    accepted += (res.json() as { accepted: number }).accepted;
  }
  const opened: string[] = [];
  first.events.on('diagnosis.changed', (changes) => opened.push(...changes.filter((c) => c.kind === 'opened').map((c) => c.terminal)));
  await first.persistDiagnoses();
  const before = first.engine.diagnose(now);
  const sick = before.terminals.filter((t) => t.diagnoses.length > 0);
  assert.ok(sick.length >= 3, `the sample first hours give diagnoses (got ${sick.length} of ${before.terminals.length}, at ${before.at})`);
  assert.equal(new Set(opened).size, sick.length, 'diagnosis.changed told about every opened diagnosis');
  const rowsBefore = await listDiagnosisHistory(first.store, { limit: 1000 });
  assert.equal(rowsBefore.filter((r) => r.kind === 'opened').length, sick.reduce((n, t) => n + t.diagnoses.length, 0));

  const one = sick[0]!.terminal;
  const history = await first.app.inject({ method: 'GET', url: `/api/v1/terminals/${one}/history` });
  assert.equal(history.statusCode, 200, history.body);
  const rows = history.json() as { terminal: string; cause: string; kind: string; at: string }[];
  assert.deepEqual(rows.map((r) => r.cause).sort(), sick[0]!.diagnoses.map((d) => d.cause).sort());
  assert.ok(rows.every((r) => r.terminal === one && r.kind === 'opened' && Date.parse(r.at) === Date.parse(before.at)), JSON.stringify(rows));
  await first.stop();

  const second = await startServer(config, { now: () => now, tickMs: 3_600_000 });
  servers.push(second);
  {
    assert.equal(second.replayedFrom, accepted, 'the restart resumed from the snapshot taken on stop');
    assert.equal(second.replayed, 0);
    assert.deepEqual(statuses(second.engine.diagnose(now)), statuses(before));
    await second.persistDiagnoses();
    const rowsAfter = await listDiagnosisHistory(second.store, { limit: 1000 });
    assert.deepEqual(rowsAfter, rowsBefore, 'the history survived and the restart re-opened nothing');
  }
});

test('an engine restored from a snapshot plus the rest of the log diagnoses like a full replay', { timeout: 120_000 }, async () => {
  const dir = await tempFolder();
  const lines = await sampleLines(30_000);
  const now = lastTime(lines) + 60_000;
  const registry = await sampleRegistry();
  const store = await openStore({ dataDir: join(dir, 'data') });
  const log = await openSegmentLog(join(dir, 'log'));
  try {
    await log.append(lines.slice(0, 18_000));
    const early = await restoreEngine({ store, log, logId: 'segments:test', registry });
    assert.equal(early.from, 0);
    assert.equal(early.replayed, 18_000);
    await saveEngineSnapshot(store, early.engine, 'segments:test', early.next, now);
    await log.append(lines.slice(18_000));

    const resumed = await restoreEngine({ store, log, logId: 'segments:test', registry });
    assert.equal(resumed.from, 18_000);
    assert.equal(resumed.replayed, 12_000);
    const full = createEngine({ registry });
    for (const line of lines) full.observe(decodeLogRecord(Buffer.from(line))!);
    const expected = full.diagnose(now);
    const got = resumed.engine.diagnose(now);
    assert.ok(expected.terminals.some((t) => t.diagnoses.length > 0));
    assert.deepEqual(statuses(got), statuses(expected));
    assert.deepEqual(got.incidents.map((i) => i.id), expected.incidents.map((i) => i.id), `incidents ${JSON.stringify(expected.incidents.map((i) => i.id))}`);

    const otherLog = await restoreEngine({ store, log, logId: 'jetstream:OTHER', registry });
    assert.equal(otherLog.from, 0, 'a snapshot of another log is not used');

    // a snapshot of an older engine layout is not misread: the whole log is replayed instead
    const stored = (await getKv<{ engine: Record<string, unknown> }>(store, SNAPSHOT_KEY))!;
    await setKv(store, SNAPSHOT_KEY, { ...stored, engine: { ...stored.engine, v: 1 } });
    const older = await restoreEngine({ store, log, logId: 'segments:test', registry });
    assert.equal(older.from, 0, 'an older engine snapshot is not used');
    assert.equal(older.replayed, 30_000);
    assert.deepEqual(statuses(older.engine.diagnose(now)), statuses(expected));
  } finally {
    await log.close();
    await store.close();
  }
});
