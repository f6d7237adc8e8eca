// `posops serve --nats-url`: the event log is a JetStream stream (a unique one per run). Events
// acknowledged over HTTP are in the stream after kill -9; a restart replays them into the engine and
// refuses them again as duplicates.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { eventually } from '../support/eventually.ts';
import { firstAdminSession, spawnPosops } from '../support/posops.ts';

const NATS_URL = process.env['POSOPS_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const HOW_TO_START =
  'start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';
const STREAM = `POSOPS_E2E_${randomBytes(4).toString('hex')}`;

const children: ChildProcess[] = [];
let data = '';
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (data) await rm(data, { recursive: true, force: true });
  const nc = await connect({ servers: NATS_URL }).catch(() => undefined);
  if (!nc) return;
  await (await jetstreamManager(nc)).streams.delete(STREAM).catch(() => undefined);
  await nc.drain();
});

async function streamMessages(): Promise<number> {
  const nc = await connect({ servers: NATS_URL, timeout: 3000 }).catch((err: Error) => {
    throw new Error(`NATS JetStream is not reachable at ${NATS_URL} — ${HOW_TO_START} (${err.message})`);
  });
  try {
    return (await (await jetstreamManager(nc)).streams.info(STREAM)).state.messages;
  } finally {
    await nc.drain();
  }
}

function serve(dir: string) {
  const served = spawnPosops(['serve', '--data', dir, '--port', '0', '--mqtt-port', '0', '--log-level', 'warn', '--nats-url', NATS_URL, '--nats-stream', STREAM]);
  children.push(served.child);
  return served;
}

async function started(s: ReturnType<typeof serve>, token?: string): Promise<{ url: string; token: string }> {
  await eventually(() => assert.match(s.output(), /dashboard\s+http:\/\/127\.0\.0\.1:\d+\//), 60_000, 100);
  const url = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(s.output())![1]!;
  if (token) return { url, token };
  return { url, token: await firstAdminSession(url, s.output()) };
}

const lines = Array.from({ length: 600 }, (_, i) =>
  JSON.stringify({ v: 1, id: `n${i.toString(36)}`, type: 'heartbeat', terminal: `T-NATS-${i % 30}`, ts: new Date(Date.UTC(2026, 5, 4, 9) + i * 1000).toISOString(), net: { type: '4g', rssi_dbm: -70 }, printer: 'ok' }),
);

async function post(url: string, token: string, body: string[]) {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', body: body.join('\n'), headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { accepted: number; duplicates: number };
}

test('serve --nats-url keeps the event log in JetStream: nothing acknowledged is lost through kill -9 and a restart', { timeout: 180_000 }, async () => {
  data = await mkdtemp(join(tmpdir(), 'posops-nats-'));
  const first = serve(data);
  const { url, token } = await started(first);
  let accepted = 0;
  for (let i = 0; i < lines.length; i += 200) accepted += (await post(url, token, lines.slice(i, i + 200))).accepted;
  assert.equal(accepted, 600);
  assert.equal(await streamMessages(), 600, 'every acknowledged event is in the JetStream stream');
  assert.deepEqual(await readdir(join(data, 'log')).catch(() => []), [], 'no local segment files with --nats-url');
  first.child.kill('SIGKILL');
  await first.exited;

  const again = serve(data);
  const second = await started(again, token);
  const terminal = await fetch(`${second.url}/api/v1/terminals/T-NATS-7`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(terminal.status, 200, 'the restart replayed the stream into the engine');
  const result = await post(second.url, token, lines);
  assert.equal(result.accepted, 0);
  assert.equal(result.duplicates, 600, 'every acknowledged event was still known after kill -9');
  assert.equal(await streamMessages(), 600);
  again.child.kill('SIGTERM');
  assert.equal(await again.exited, 0, again.output());
});
