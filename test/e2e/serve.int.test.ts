// `posops serve` as a user runs it: a real process, a temp data folder, random ports. Events
// acknowledged over HTTP survive kill -9; a second server on the same data folder is refused.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { firstAdminSession, spawnPosops } from '../support/posops.ts';

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function serve(data: string): Served {
  return { ...spawnPosops(['serve', '--data', data, '--port', '0', '--mqtt-port', '0', '--log-level', 'warn']), url: '' };
}

async function started(s: Served): Promise<Served & { token?: string }> {
  await eventually(() => assert.match(s.output(), /dashboard\s+http:\/\/127\.0\.0\.1:\d+\//), 30_000, 100);
  const url = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(s.output())![1]!;
  // the first start prints the first admin's one-time password: it allows nothing but setting an own one
  const login = /first admin login: (\S+) \/ (\S+)/.exec(s.output());
  if (!login) return { ...s, url };
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: login[1], password: login[2] }) });
  const once = (await res.json()) as { token: string; must_change_password: boolean };
  assert.equal(once.must_change_password, true);
  const refused = await fetch(`${url}/api/v1/events`, { method: 'POST', body: batches[0], headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${once.token}` } });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /AUTH_PASSWORD_CHANGE_REQUIRED.*POST \/api\/v1\/auth\/password/);
  return { ...s, url, token: await firstAdminSession(url, s.output()) };
}

const lines = Array.from({ length: 600 }, (_, i) =>
  JSON.stringify({ v: 1, id: `e2e${i.toString(36)}`, type: 'heartbeat', terminal: `T-E2E-${i % 30}`, ts: new Date(Date.UTC(2026, 5, 4, 9) + i * 1000).toISOString(), net: { type: '4g', rssi_dbm: -70 }, printer: 'ok' }),
);
const batches = [lines.slice(0, 200), lines.slice(200, 400), lines.slice(400, 600)].map((b) => b.join('\n') + '\n');

async function postBatch(url: string, token: string, body: string) {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', body, headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
}

const children: ChildProcess[] = [];
let data = '';
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (data) await rm(data, { recursive: true, force: true });
});

test('posops serve keeps every acknowledged event through kill -9, and refuses a second server on the same data', async () => {
  data = await mkdtemp(join(tmpdir(), 'posops-e2e-'));
  const first = await started(serve(data));
  children.push(first.child);
  assert.ok(first.token, `the first start prints the admin token:\n${first.output()}`);
  assert.match(first.output(), /MQTT\s+mqtt:\/\/127\.0\.0\.1:\d+/);

  let accepted = 0;
  for (const body of batches) accepted += (await postBatch(first.url, first.token!, body)).accepted;
  assert.equal(accepted, 600);
  const metrics = await (await fetch(`${first.url}/metrics`)).text();
  assert.match(metrics, /posops_events_accepted_total\{transport="http"\} 600\n/);
  assert.ok(Number(/posops_log_bytes (\d+)/.exec(metrics)?.[1]) > 10_000);

  const second = serve(data);
  children.push(second.child);
  assert.notEqual(await second.exited, 0);
  assert.match(second.output(), /STORE_LOCKED|in use by process/);

  first.child.kill('SIGKILL');
  await first.exited;

  const again = await started(serve(data));
  children.push(again.child);
  assert.equal(again.token, undefined, 'the admin token is created once');
  let duplicates = 0;
  for (const body of batches) {
    const result = await postBatch(again.url, first.token!, body);
    assert.equal(result.accepted, 0);
    duplicates += result.duplicates;
  }
  assert.equal(duplicates, 600, 'every acknowledged event was in the log after kill -9');
  const after = await (await fetch(`${again.url}/metrics`)).text();
  assert.match(after, /posops_events_duplicate_total\{transport="http"\} 600\n/);

  again.child.kill('SIGTERM');
  assert.equal(await again.exited, 0, again.output());
  assert.match(again.output(), /stopped/);
});
