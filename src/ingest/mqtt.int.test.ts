import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { eventually } from '../../test/support/eventually.ts';
import { buildTestIngestor, mqttEvent, requireMosquitto } from './mqtt.fixture.ts';
import { connectMqttBroker, startMqttBroker, type MqttTransport } from './mqtt.ts';

const run = randomBytes(4).toString('hex');

/** The bad-input set: each payload with what its rejection note must name. */
const BAD: [string, string | Buffer, RegExp][] = [
  ['malformed JSON', '{"v":1,"id":"x","type":', /JSON/],
  ['wrong type', JSON.stringify(mqttEvent('X', { net: { rssi_dbm: 'strong' } })), /net\.rssi_dbm/],
  ['out of range', JSON.stringify(mqttEvent('X', { battery: { level_pct: 140 } })), /battery\.level_pct/],
  ['unknown type', JSON.stringify(mqttEvent('X', { type: 'party' })), /type must be one of/],
  ['missing field', JSON.stringify({ v: 1, type: 'heartbeat', terminal: 'X', ts: '2026-06-04T11:59:00Z' }), /id is required/],
  ['binary garbage', Buffer.from([0xff, 0x00, 0xfe, 0x13, 0x37]), /JSON/],
  ['full PAN', JSON.stringify(mqttEvent('X', { type: 'error', code: 'CARD_READ_FAIL', message: 'card 4111111111111111' })), /card number/],
];

/** Publishes the bad set between good events of `terminal`; returns the rejection notes received. */
async function publishBadSet(client: MqttClient, terminal: string) {
  const notes: { id: string | null; error: string }[] = [];
  client.on('message', (topic, payload) => {
    if (topic === `posops/v1/${terminal}/rejections`) notes.push(JSON.parse(payload.toString()));
  });
  await client.subscribeAsync(`posops/v1/${terminal}/rejections`, { qos: 1 });
  const topic = `posops/v1/${terminal}/events`;
  await client.publishAsync(topic, JSON.stringify(mqttEvent(terminal)), { qos: 1 });
  for (const [, payload] of BAD) {
    const fixed = typeof payload === 'string' ? payload.replaceAll('"terminal":"X"', `"terminal":"${terminal}"`) : payload;
    await client.publishAsync(topic, fixed, { qos: 1 });
  }
  await client.publishAsync(topic, JSON.stringify(mqttEvent('SOMEONE-ELSE')), { qos: 1 });
  await client.publishAsync(topic, JSON.stringify(mqttEvent(terminal)), { qos: 1 });
  return notes;
}

function assertNotes(notes: { error: string }[]) {
  assert.equal(notes.length, BAD.length + 1, notes.map((n) => n.error).join(' | '));
  // order is not kept across the shared subscription's connections: match each reason to one note
  const left = notes.map((n) => n.error);
  for (const [name, , pattern] of [...BAD, ['terminal mismatch', '', /terminal/] as const]) {
    const at = left.findIndex((e) => pattern.test(e));
    assert.ok(at >= 0, `a note for ${name} (${pattern}) among: ${left.join(' | ')}`);
    left.splice(at, 1);
  }
}

describe('embedded broker (aedes)', () => {
  let t: Awaited<ReturnType<typeof buildTestIngestor>>;
  let broker: MqttTransport;
  before(async () => {
    t = await buildTestIngestor();
    broker = await startMqttBroker({ host: '127.0.0.1', port: 0, ingestor: t.ingestor });
  });
  after(async () => {
    await broker.close();
    await t.close();
  });

  test('acknowledges a QoS 1 event only once it is in the log', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: `t-${run}-1` });
    try {
      const before = t.log.nextOffset();
      await client.publishAsync('posops/v1/T-ACK/events', JSON.stringify(mqttEvent('T-ACK')), { qos: 1 });
      assert.equal(t.log.nextOffset(), before + 1, 'durable when the PUBACK arrives');
      assert.equal(t.ingestor.stats().byTransport.mqtt.accepted, 1);
    } finally {
      await client.endAsync();
    }
  });

  test('refuses each bad payload with a note naming the field; the connection goes on', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: `t-${run}-2` });
    try {
      const acceptedBefore = t.ingestor.stats().byTransport.mqtt.accepted;
      const notes = await publishBadSet(client, 'T-BAD');
      await eventually(() => assertNotes(notes), 3000);
      assert.ok(client.connected);
      assert.equal(t.ingestor.stats().byTransport.mqtt.accepted - acceptedBefore, 2);
      assert.equal(t.ingestor.stats().byTransport.mqtt.rejected, BAD.length + 1);
    } finally {
      await client.endAsync();
    }
  });

  test('publishCommand() reaches the terminal on its commands topic', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: `t-${run}-3` });
    try {
      const got: unknown[] = [];
      client.on('message', (_topic, payload) => got.push(JSON.parse(payload.toString())));
      await client.subscribeAsync('posops/v1/T-CMD/commands', { qos: 1 });
      await broker.publishCommand('T-CMD', { command: 'reboot', id: 'c1' });
      await eventually(() => assert.deepEqual(got, [{ command: 'reboot', id: 'c1' }]), 3000);
    } finally {
      await client.endAsync();
    }
  });
});

describe('embedded broker with terminal credentials', () => {
  let t: Awaited<ReturnType<typeof buildTestIngestor>>;
  let broker: MqttTransport;
  const secrets: Record<string, string> = { 'T-A': 'secret-a' };
  before(async () => {
    t = await buildTestIngestor();
    const authenticator = {
      authenticate: async (c: { username?: string; password?: string }) =>
        c.username && secrets[c.username] === c.password ? { kind: 'terminal', id: c.username, terminal: c.username } : undefined,
    };
    broker = await startMqttBroker({ host: '127.0.0.1', port: 0, ingestor: t.ingestor, authenticator });
  });
  after(async () => {
    await broker.close();
    await t.close();
  });

  test('refuses a wrong secret at CONNECT', async () => {
    await assert.rejects(
      mqtt.connectAsync(broker.url, { clientId: `t-${run}-4`, username: 'T-A', password: 'wrong', reconnectPeriod: 0 }),
      /Bad username or password|Not authorized/i,
    );
  });

  test('a terminal may subscribe and publish under its own ID only', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: `t-${run}-5`, username: 'T-A', password: 'secret-a', reconnectPeriod: 0 });
    try {
      const granted = await client.subscribeAsync('posops/v1/T-A/commands', { qos: 1 });
      assert.deepEqual(granted.map((g) => g.qos), [1]);
      await assert.rejects(client.subscribeAsync('posops/v1/T-B/commands', { qos: 1 }), /Subscribe error/); // SUBACK 128
      await client.publishAsync('posops/v1/T-A/events', JSON.stringify(mqttEvent('T-A')), { qos: 1 });
      assert.equal(t.ingestor.stats().byTransport.mqtt.accepted, 1);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish('posops/v1/T-B/events', JSON.stringify(mqttEvent('T-B')), { qos: 1 });
      await closed; // publishing under another terminal's ID ends the connection
      assert.equal(t.ingestor.stats().byTransport.mqtt.accepted, 1);
    } finally {
      await client.endAsync(true);
    }
  });
});

describe('external broker (Mosquitto on 127.0.0.1:1883, --mqtt-url mode)', () => {
  let t: Awaited<ReturnType<typeof buildTestIngestor>>;
  let transport: MqttTransport;
  before(async () => {
    await requireMosquitto();
    t = await buildTestIngestor();
    transport = await connectMqttBroker({ url: 'mqtt://127.0.0.1:1883', ingestor: t.ingestor, clientId: `posops-test-${run}`, group: `posops-test-${run}`, clean: true, connections: 2 });
  });
  after(async () => {
    await transport?.close();
    await t?.close();
  });

  test('ingests events published to Mosquitto, and refuses bad ones with a note', async () => {
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883', { clientId: `pub-${run}` });
    try {
      const terminal = `T-MQ-${run}`;
      for (let i = 0; i < 20; i++) await client.publishAsync(`posops/v1/${terminal}/events`, JSON.stringify(mqttEvent(terminal)), { qos: 1 });
      await eventually(() => assert.equal(t.ingestor.stats().byTransport.mqtt.accepted, 20), 5000);
      const notes = await publishBadSet(client, `${terminal}-BAD`);
      await eventually(() => assertNotes(notes), 5000);
      await eventually(() => assert.equal(t.ingestor.stats().byTransport.mqtt.accepted, 22), 5000);
      assert.ok(client.connected);
    } finally {
      await client.endAsync();
    }
  });
});
