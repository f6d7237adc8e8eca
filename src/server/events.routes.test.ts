import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildTestApp, heartbeat, ndjson } from './app.fixture.ts';

let t: Awaited<ReturnType<typeof buildTestApp>>;
before(async () => {
  t = await buildTestApp({ maxBodyBytes: 64 * 1024 });
});
after(async () => t.close());

const post = (payload: string | Buffer, contentType = 'application/json') =>
  t.app.inject({ method: 'POST', url: '/api/v1/events', payload, headers: { 'content-type': contentType } });

test('POST /api/v1/events takes one event object', async () => {
  const res = await post(JSON.stringify(heartbeat('T-ONE')));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { accepted: 1, duplicates: 0, rejected: [] });
});

test('POST /api/v1/events counts a re-sent event as a duplicate', async () => {
  const event = heartbeat('T-DUP');
  await post(JSON.stringify([event]));
  const res = await post(JSON.stringify([event, heartbeat('T-DUP')]));
  assert.deepEqual(res.json(), { accepted: 1, duplicates: 1, rejected: [] });
});

test('POST /api/v1/events (NDJSON) rejects each bad line naming the field and accepts the good ones around it', async () => {
  const lines = [
    heartbeat('T-ND'), // 0 good
    '{"v":1,"id":"x1","type":"heartbeat",', // 1 malformed JSON
    heartbeat('T-ND', { net: { rssi_dbm: 'strong' } }), // 2 wrong type
    heartbeat('T-ND', { battery: { level_pct: 150 } }), // 3 out of range
    heartbeat('T-ND', { type: 'party' }), // 4 unknown type
    { v: 1, type: 'heartbeat', terminal: 'T-ND', ts: '2026-06-04T11:59:00Z' }, // 5 missing id
    '\u0000\u0001\u00ff\ufffd\u0007garbage', // 6 binary garbage
    { v: 1, id: 'pan1', type: 'error', terminal: 'T-ND', ts: '2026-06-04T11:59:00Z', code: 'CARD_READ_FAIL', message: 'card 4111111111111111 failed' }, // 7 PAN
    heartbeat('T-ND'), // 8 good
  ];
  const res = await post(ndjson(lines), 'application/x-ndjson');
  assert.equal(res.statusCode, 200);
  const body = res.json() as { accepted: number; rejected: { index: number; error: string }[] };
  assert.equal(body.accepted, 2);
  const byIndex = new Map(body.rejected.map((r) => [r.index, r.error]));
  assert.deepEqual([...byIndex.keys()].sort(), [1, 2, 3, 4, 5, 6, 7]);
  assert.match(byIndex.get(1)!, /JSON/);
  assert.match(byIndex.get(2)!, /net\.rssi_dbm/);
  assert.match(byIndex.get(3)!, /battery\.level_pct/);
  assert.match(byIndex.get(4)!, /type must be one of/);
  assert.match(byIndex.get(5)!, /id is required/);
  assert.match(byIndex.get(6)!, /JSON/);
  assert.match(byIndex.get(7)!, /message.*card number/);
});

test('POST /api/v1/events (array) rejects a broken element by its index and keeps the others', async () => {
  const good = JSON.stringify(heartbeat('T-ARR'));
  const res = await post(`[${good}, {"v":1,"id":"oops" "type":1}, ${JSON.stringify(heartbeat('T-ARR', { uptime_s: -5 }))}, ${JSON.stringify(heartbeat('T-ARR'))}]`);
  assert.equal(res.statusCode, 200);
  const body = res.json() as { accepted: number; rejected: { index: number; error: string }[] };
  assert.equal(body.accepted, 2);
  assert.deepEqual(body.rejected.map((r) => r.index), [1, 2]);
  assert.match(body.rejected[1]!.error, /uptime_s/);
});

test('POST /api/v1/events answers 400 when nothing can be read, with the reason', async () => {
  for (const payload of ['this is not json', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]), '42']) {
    const res = await post(payload, payload instanceof Buffer ? 'application/octet-stream' : 'application/json');
    assert.equal(res.statusCode, 400, String(payload));
    const body = res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'INGEST_BODY_UNREADABLE');
    assert.ok(body.error.message.length > 10);
  }
});

test('POST /api/v1/events answers 413 over the size limit', async () => {
  const big = ndjson(Array.from({ length: 1000 }, () => heartbeat('T-BIG')));
  const res = await post(big, 'application/x-ndjson');
  assert.equal(res.statusCode, 413);
  assert.equal((res.json() as { error: { code: string } }).error.code, 'INGEST_BODY_TOO_LARGE');
  assert.match((res.json() as { error: { message: string } }).error.message, /65536 bytes/);
});
