import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { openJetStreamLog, terminalPartition } from './jetstream-log.ts';
import type { EventLog } from './index.ts';

const NATS_URL = process.env['POSOPS_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const HOW_TO_START =
  'start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log';

const run = randomBytes(4).toString('hex');
const streams: string[] = [];

async function openTestLog(): Promise<{ log: EventLog; stream: string }> {
  const stream = `POSOPS_TEST_${run}_${streams.length}`;
  streams.push(stream);
  try {
    const log = await openJetStreamLog({ url: NATS_URL, stream, subjectPrefix: `posops.test.${run}.${streams.length}` });
    return { log, stream };
  } catch (err) {
    throw new Error(`NATS JetStream is not reachable at ${NATS_URL} — ${HOW_TO_START} (${(err as Error).message})`);
  }
}

after(async () => {
  const nc = await connect({ servers: NATS_URL }).catch(() => undefined);
  if (!nc) return;
  const jsm = await jetstreamManager(nc);
  for (const s of streams) await jsm.streams.delete(s).catch(() => undefined);
  await nc.drain();
});

const event = (terminal: string, i: number) =>
  JSON.stringify({ v: 1, id: `e${i}`, type: 'boot', terminal, ts: '2026-11-20T18:00:00Z' });

async function readAll(log: EventLog, from = 0): Promise<{ offset: number; text: string }[]> {
  const out: { offset: number; text: string }[] = [];
  for await (const r of log.read(from)) out.push({ offset: Number(r.offset), text: r.data.toString('utf8') });
  return out;
}

test('JetStream log: append() is acknowledged by the server and read() replays in order from an offset', async () => {
  const { log } = await openTestLog();
  assert.equal(log.nextOffset(), 0);
  const records = Array.from({ length: 50 }, (_, i) => event(`T${i % 7}`, i));
  await log.append(records.slice(0, 20));
  await log.append(records.slice(20));
  assert.equal(log.nextOffset(), 50);
  const all = await readAll(log);
  assert.deepEqual(all.map((r) => r.text), records);
  assert.deepEqual(all.map((r) => r.offset), records.map((_, i) => i));
  assert.deepEqual((await readAll(log, 45)).map((r) => r.offset), [45, 46, 47, 48, 49]);
  assert.ok(log.bytes() > 0);
  await log.close();
});

test('JetStream log: a reopened log continues at the stream end and keeps what was appended', async () => {
  const { log, stream } = await openTestLog();
  await log.append([event('T1', 1), event('T2', 2)]);
  await log.close();
  const again = await openJetStreamLog({ url: NATS_URL, stream, subjectPrefix: `posops.test.${run}.${streams.length}` });
  assert.equal(again.nextOffset(), 2);
  await again.append([event('T3', 3)]);
  assert.deepEqual((await readAll(again)).map((r) => JSON.parse(r.text).id), ['e1', 'e2', 'e3']);
  await again.close();
});

test('terminalPartition() spreads terminals and is stable', () => {
  const counts = new Array(16).fill(0);
  for (let i = 0; i < 16_000; i++) counts[terminalPartition(`T${1_000_000 + i}`, 16)]++;
  for (const c of counts) assert.ok(c > 700 && c < 1300, `partition sizes ${counts.join(',')}`);
  assert.equal(terminalPartition('T0000042', 16), terminalPartition('T0000042', 16));
});
