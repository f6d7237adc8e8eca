// One MQTT message = one event of the topic's terminal: the fast path (raw text handed to the
// ingestor, stored as sent) must never let a payload name another terminal than its topic.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSegmentLog } from '../log/index.ts';
import { createIngestor, readEvents } from './index.ts';
import { createMqttIngest } from './mqtt.events.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('MQTT payloads are stored as sent when they name only the topic terminal, and refused when they name another', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-mqtt-events-'));
  dirs.push(dir);
  const log = await openSegmentLog(dir);
  const ingestor = await createIngestor({ log });
  const mqtt = createMqttIngest(ingestor);
  const ev = (terminal: string, id: string, extra = '') => `{"v":1,"id":"${id}","type":"boot","terminal" : "${terminal}","ts":"2026-06-04T09:00:00Z","reason":"power_on"${extra}}`;
  try {
    const plain = ev('T1', 'a1');
    const outcomes = await Promise.all([
      mqtt.ingestMessage('T1', Buffer.from(plain)),
      mqtt.ingestMessage('T1', Buffer.from(ev('T2', 'a2'))),
      // an escaped second key would win in JSON.parse: it must not slip through as T1's
      mqtt.ingestMessage('T1', Buffer.from(ev('T1', 'a3', ',"termin\\u0061l":"T2"'))),
      mqtt.ingestMessage('T1', Buffer.from(`{"v":1,"id":"a4","type":"boot","x":{"terminal":"T1"},"terminal":"T2","ts":"2026-06-04T09:00:00Z"}`)),
      mqtt.ingestMessage('T1', Buffer.from('not json "terminal":"T1" "id":"a5"')),
    ]);
    assert.deepEqual(outcomes.map((o) => o.ok), [true, false, false, false, false]);
    assert.equal((outcomes[4] as { id?: string }).id, 'a5', 'a rejection names the id it could read');
    const stored: { terminal: string; id: string; text: string }[] = [];
    for await (const r of log.read(0)) stored.push({ ...(JSON.parse(r.data.toString()) as { terminal: string; id: string }), text: r.data.toString() });
    assert.deepEqual(stored.map((s) => `${s.terminal}/${s.id}`), ['T1/a1']);
    assert.equal(stored[0]!.text, plain, 'stored byte for byte as sent');
    let events = 0;
    for await (const _ of readEvents(log, 0)) events++;
    assert.equal(events, 1);
  } finally {
    await ingestor.close();
    await log.close();
  }
});
