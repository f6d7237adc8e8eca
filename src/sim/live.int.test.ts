// Live mode against the real Mosquitto on 127.0.0.1:1883: events arrive on posops/v1/<terminal>/events,
// a lock command stops transactions, an update command changes the versions in later heartbeats.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from '../../test/support/eventually.ts';
import { validateEvent } from '../domain/index.ts';
import { generateFleet, startLiveFleet, type SimFleet } from './index.ts';

const BROKER = 'mqtt://127.0.0.1:1883';
const prefix = `L${randomBytes(3).toString('hex')}x`;
let watcher: MqttClient;
let fleet: SimFleet;
let live: Awaited<ReturnType<typeof startLiveFleet>>;
const events: Record<string, unknown>[] = [];
const acks: { terminal: string; id: string; status: string }[] = [];

before(async () => {
  try {
    watcher = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-watch`, connectTimeout: 3000, reconnectPeriod: 0 });
  } catch (err) {
    throw new Error(`Mosquitto is not reachable at ${BROKER} (${(err as Error).message}); start it with: mosquitto -d -p 1883`);
  }
  watcher.on('message', (topic, payload) => {
    const [, , terminal, kind] = topic.split('/');
    if (!terminal?.startsWith(prefix)) return;
    const body = JSON.parse(payload.toString()) as Record<string, unknown>;
    if (kind === 'events') events.push(body);
    if (kind === 'acks') acks.push({ terminal, id: String(body['id']), status: String(body['status']) });
  });
  await watcher.subscribeAsync(['posops/v1/+/events', 'posops/v1/+/acks'], { qos: 1 });
  // 12:00 China time: shops are open. No faults scripted on the terminals we command.
  fleet = generateFleet({ terminals: 6, days: 1, seed: 11, start: '2026-11-20T04:00:00Z', prefix, scenario: { faults: [] } });
  for (const p of fleet.profiles) {
    p.rate = 40;
    p.nightOff = false;
    p.clockOffsetMs = 0;
  }
  fleet.faults = [];
  fleet.installs = [];
  live = await startLiveFleet({ fleet, target: { mqtt: { url: BROKER } }, speed: 1500, tickMs: 100 });
});

after(async () => {
  await live?.stop();
  await watcher?.endAsync();
});

function txnsOf(terminal: string, afterTs = 0) {
  return events.filter((e) => e['terminal'] === terminal && e['type'] === 'txn' && Date.parse(String(e['ts'])) > afterTs);
}

async function command(terminal: string, id: string, command: string, args?: object): Promise<void> {
  await watcher.publishAsync(`posops/v1/${terminal}/commands`, JSON.stringify({ id, command, args }), { qos: 1 });
  await eventually(() => assert.ok(acks.some((a) => a.id === id && a.terminal === terminal && a.status === 'done'), `no ack for ${id}`), 10_000);
}

test('live terminals publish valid events for every terminal', async () => {
  await eventually(() => {
    const seen = new Set(events.map((e) => e['terminal']));
    for (const p of fleet.profiles) assert.ok(seen.has(p.id), `nothing from ${p.id}`);
    assert.ok(events.some((e) => e['type'] === 'txn'), 'no transactions yet');
  }, 20_000, 100);
  for (const e of events) {
    const v = validateEvent(structuredClone(e));
    assert.ok(v.ok, v.ok ? '' : `invalid event: ${v.error}`);
  }
});

test('a lock command stops transactions; unlock resumes them', async () => {
  const terminal = fleet.profiles[0]!.id;
  await eventually(() => assert.ok(txnsOf(terminal).length > 0, 'no transactions before the lock'), 20_000, 100);
  await command(terminal, 'lock-1', 'lock');
  const lockedAt = live.now();
  const other = fleet.profiles[1]!.id;
  const otherBefore = txnsOf(other, lockedAt).length;
  // Two simulated hours (about 5 s real at 1500x): the others keep paying, the locked one does not.
  await eventually(() => assert.ok(live.now() > lockedAt + 2 * 3600_000), 30_000, 100);
  await eventually(() => assert.ok(txnsOf(other, lockedAt).length > otherBefore + 5, 'the other terminal stopped too'), 10_000, 100);
  assert.equal(txnsOf(terminal, lockedAt + 1000).length, 0, 'transactions after the lock');
  await command(terminal, 'unlock-1', 'unlock');
  const unlockedAt = live.now();
  await eventually(() => assert.ok(txnsOf(terminal, unlockedAt).length > 0, 'no transactions after unlock'), 30_000, 100);
});

test('an update command changes the versions reported in later heartbeats', async () => {
  const terminal = fleet.profiles[2]!.id;
  await command(terminal, 'upd-1', 'update', { component: 'app', version: '99.1.0', campaign: 'CMP-TEST' });
  await eventually(() => {
    const hb = events.find((e) => e['terminal'] === terminal && e['type'] === 'heartbeat' && (e['versions'] as { app?: string } | undefined)?.app === '99.1.0');
    assert.ok(hb, 'no heartbeat with app 99.1.0');
    assert.ok(events.some((e) => e['terminal'] === terminal && e['type'] === 'update' && e['status'] === 'installed' && e['to'] === '99.1.0'));
  }, 20_000, 100);
});

test('an unknown command is answered failed', async () => {
  const terminal = fleet.profiles[3]!.id;
  await watcher.publishAsync(`posops/v1/${terminal}/commands`, JSON.stringify({ id: 'x-1', command: 'self_destruct' }), { qos: 1 });
  await eventually(() => assert.ok(acks.some((a) => a.id === 'x-1' && a.status === 'failed')), 10_000);
});
