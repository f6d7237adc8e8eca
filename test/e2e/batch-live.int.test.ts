// Batch and live give one answer: a simulated fleet's day is written to files; `posops serve`
// (a real process) is fed the same events, the first part over HTTP and the rest over MQTT, in
// the files' order; `posops diagnose` over the files at the moment the server answered gives
// the same statuses, causes, confidences and incidents as GET /api/v1/diagnosis.
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import mqtt from 'mqtt';
import type { DiagnosisReport } from '../../src/domain/index.ts';
import { eventually } from '../support/eventually.ts';
import { spawnPosops } from '../support/posops.ts';

const children: ChildProcess[] = [];
let dir = '';
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

function posops(args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/posops.js', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `posops ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** One line per terminal and incident: what the two runs must agree on. */
function summary(r: DiagnosisReport): string[] {
  const terminals = r.terminals.map((t) => `${t.terminal} ${t.status} ${t.diagnoses.map((d) => `${d.cause}@${d.confidence.toFixed(2)} since ${d.since}`).join(', ')}`);
  const incidents = r.incidents.map((i) => `incident ${i.cause} ${JSON.stringify(i.scope)} ${[...i.terminals].sort().join(' ')}`);
  return [...terminals.sort(), ...incidents.sort()];
}

test('posops diagnose over files and the server fed the same events over HTTP and MQTT give the same diagnoses', { timeout: 240_000 }, async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-batch-live-'));
  const files = join(dir, 'files');
  const data = join(dir, 'data');
  // the day ends a few minutes before now: the server diagnoses at its wall clock
  const start = new Date(Date.now() - 86_400_000 - 5 * 60_000).toISOString();
  posops(['sim', '--terminals', '120', '--days', '1', '--seed', '29', '--start', start, '--out', files]);
  posops(['import', '--fleet', join(files, 'fleet.json'), '--data', data]);
  const lines = (await readFile(join(files, 'events.ndjson'), 'utf8')).split('\n').filter(Boolean);

  const server = spawnPosops(['serve', '--data', data, '--port', '0', '--mqtt-port', '0', '--auth', 'off', '--log-level', 'warn']);
  children.push(server.child);
  await eventually(() => assert.match(server.output(), /MQTT\s+mqtt:\/\/[\d.]+:\d+/), 60_000, 100);
  const url = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(server.output())![1]!;
  const mqttUrl = /MQTT\s+(mqtt:\/\/[\d.]+:\d+)/.exec(server.output())![1]!;

  // the first 60% over HTTP in NDJSON batches, in order
  const split = Math.floor(lines.length * 0.6);
  for (let i = 0; i < split; i += 4000) {
    const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines.slice(i, Math.min(i + 4000, split)).join('\n') });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as { rejected: unknown[] };
    assert.deepEqual(body.rejected, []);
  }
  // the rest over MQTT, QoS 1, each acknowledged (durable) before the next: the same order
  const client = await mqtt.connectAsync(mqttUrl, { clientId: 'batch-live', reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    for (const line of lines.slice(split)) {
      const terminal = /"terminal":"([^"]+)"/.exec(line)![1]!;
      await client.publishAsync(`posops/v1/${terminal}/events`, line, { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }

  const res = await fetch(`${url}/api/v1/diagnosis`);
  assert.equal(res.status, 200, `${await res.clone().text()}\n${server.output()}`);
  const live = (await res.json()) as DiagnosisReport;
  const batch = JSON.parse(posops(['diagnose', '--fleet', join(files, 'fleet.json'), '--events', join(files, 'events.ndjson'), '--at', live.at, '--format', 'json'])) as DiagnosisReport;

  assert.equal(batch.at, live.at);
  assert.equal(live.terminals.length, 120);
  const sick = live.terminals.filter((t) => t.status !== 'ok');
  assert.ok(sick.length >= 10, `the simulated faults show (${sick.length} terminals not ok)`);
  assert.ok(live.incidents.length >= 1, 'and at least one fleet incident');
  assert.deepEqual(summary(live), summary(batch));
});
