// Terminal credentials on the embedded broker (random port): a terminal connects with its own
// secret, publishes its own events and reads its own commands; another terminal's ID, another
// terminal's commands and a wrong secret are refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from '../../test/support/eventually.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestIngestor, mqttEvent } from '../ingest/mqtt.fixture.ts';
import { startMqttBroker, type MqttTransport } from '../ingest/mqtt.ts';
import { openStore, type Store } from '../store/index.ts';
import { createAuth, issueTerminalSecret } from './index.ts';

let transport: MqttTransport;
let ingest: Awaited<ReturnType<typeof buildTestIngestor>>;
let store: Store;
let dir: string;
const secrets: Record<string, string> = {};
const cli = { actor: 'test', kind: 'cli' as const };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-mqtt-auth-'));
  store = await openStore({ dataDir: dir });
  secrets['T-ONE'] = await issueTerminalSecret(store, cli, 'T-ONE');
  secrets['T-TWO'] = await issueTerminalSecret(store, cli, 'T-TWO');
  ingest = await buildTestIngestor();
  const auth = await createAuth({ store });
  transport = await startMqttBroker({ host: '127.0.0.1', port: 0, ingestor: ingest.ingestor, authenticator: auth });
});

after(async () => {
  await transport?.close();
  await ingest?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(username: string, password: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(transport.url, { username, password, reconnectPeriod: 0, clientId: `${username}-${Math.random()}` });
    c.once('connect', () => resolve(c));
    c.once('error', (err) => {
      c.end(true);
      reject(err);
    });
  });
}

test('a wrong secret, another terminal’s secret and an unknown terminal are refused at CONNECT', async () => {
  await assert.rejects(connect('T-ONE', 'pts_wrong'), /Not authorized|Bad username or password/);
  await assert.rejects(connect('T-ONE', secrets['T-TWO']!), /Not authorized|Bad username or password/);
  await assert.rejects(connect('T-NOBODY', secrets['T-ONE']!), /Not authorized|Bad username or password/);
});

test('a terminal publishes its own events; events under another terminal’s ID are refused and not ingested', async () => {
  const c = await connect('T-ONE', secrets['T-ONE']!);
  try {
    const seen: string[] = [];
    const off = ingest.ingestor.onEvent((e) => seen.push(e.terminal));
    await c.publishAsync('posops/v1/T-ONE/events', JSON.stringify(mqttEvent('T-ONE')), { qos: 1 });
    await eventually(() => assert.deepEqual(seen, ['T-ONE']));
    // aedes closes the connection of a client whose publish is not authorized
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish('posops/v1/T-TWO/events', JSON.stringify(mqttEvent('T-TWO')), { qos: 1 });
    await closed;
    off();
    assert.deepEqual(seen, ['T-ONE'], 'nothing of T-TWO was ingested');
  } finally {
    c.end(true);
  }
});

test('a terminal reads its own commands only; subscribing to another terminal’s commands or events is refused', async () => {
  const c = await connect('T-ONE', secrets['T-ONE']!);
  try {
    const granted = await c.subscribeAsync('posops/v1/T-ONE/commands', { qos: 1 });
    assert.deepEqual(granted.map((g) => g.qos), [1]);
    for (const topic of ['posops/v1/T-TWO/commands', 'posops/v1/+/commands', 'posops/v1/#', 'posops/v1/T-ONE/events']) {
      await assert.rejects(c.subscribeAsync(topic, { qos: 1 }), /Subscribe error/, topic);
    }
    const got: string[] = [];
    c.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    await transport.publishCommand('T-TWO', { id: 'c2', command: 'reboot' });
    await transport.publishCommand('T-ONE', { id: 'c1', command: 'lock' });
    await eventually(() => assert.equal(got.length, 1));
    assert.match(got[0]!, /^posops\/v1\/T-ONE\/commands .*"c1"/);
  } finally {
    c.end(true);
  }
});
