import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventually } from '../../test/support/eventually.ts';
import { isPosopsError, type PosEvent } from '../domain/index.ts';
import { openSegmentLog, type SegmentLog } from '../log/index.ts';
import { createIngestor, readEvents } from './index.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function freshLog(): Promise<{ dir: string; log: SegmentLog }> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-ingest-'));
  dirs.push(dir);
  return { dir, log: await openSegmentLog(dir) };
}

function heartbeat(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { v: 1, id: 'h1', type: 'heartbeat', terminal: 'T1', ts: '2026-06-04T09:37:49Z', printer: 'ok', ...over };
}
const line = (over: Record<string, unknown> = {}) => JSON.stringify(heartbeat(over));

async function storedTexts(log: SegmentLog): Promise<string[]> {
  const out: string[] = [];
  for await (const r of log.read(0)) out.push(r.data.toString('utf8'));
  return out;
}

test('ingest() takes raw lines and parsed values alike, stores raw lines as sent, and answers counts', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log });
  const raw = line({ id: 'a' });
  const result = await ingestor.ingest([raw, heartbeat({ id: 'b' }), Buffer.from(line({ id: 'c' }))], { transport: 'http' });
  assert.deepEqual(result, { accepted: 3, duplicates: 0, rejected: [] });
  const stored = await storedTexts(log);
  assert.equal(stored[0], raw);
  assert.deepEqual(JSON.parse(stored[1]!), heartbeat({ id: 'b' }), 'a parsed value is stored without tsMs');
  assert.equal(log.nextOffset(), 3);
  const replayed: PosEvent[] = [];
  for await (const { event } of readEvents(log)) replayed.push(event);
  assert.deepEqual(replayed.map((e) => [e.id, e.tsMs]), [['a', Date.parse('2026-06-04T09:37:49Z')], ['b', Date.parse('2026-06-04T09:37:49Z')], ['c', Date.parse('2026-06-04T09:37:49Z')]]);
  await ingestor.close();
  await log.close();
});

test('bad items are rejected with their index and a reason naming the field; the good ones beside them are kept', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log, maxLineBytes: 1024 });
  const items = [
    line({ id: 'ok1' }),
    '{"v":1,"id":',
    line({ id: 'x', battery: { level_pct: 140 } }),
    heartbeat({ id: 'y', type: 'teleport' }),
    line({ id: 'z', printer: 'ok', net: { rssi_dbm: '-60' } }),
    JSON.stringify({ v: 1, type: 'txn', terminal: 'T1', ts: '2026-06-04T09:37:49Z' }),
    line({ id: 'big', note: 'x'.repeat(2000) }),
    '\u0000\u0001\u00ff\ufffdPK\u0003\u0004',
    line({ id: 'pan', type: 'txn', bin: '4111111111111111' }),
    line({ id: 'pan2', type: 'report', text: 'card 4111 1111 1111 1111 did not read' }),
    42,
    '',
    line({ id: 'ok2' }),
  ];
  const result = await ingestor.ingest(items, { transport: 'file' });
  assert.equal(result.accepted, 2);
  const reasons = new Map(result.rejected.map((r) => [r.index, r.error]));
  assert.match(reasons.get(1)!, /^not valid JSON/);
  assert.match(reasons.get(2)!, /battery\.level_pct must be between 0 and 100, got 140/);
  assert.match(reasons.get(3)!, /^type must be one of/);
  assert.match(reasons.get(4)!, /net\.rssi_dbm must be a number/);
  assert.match(reasons.get(5)!, /^id is required/);
  assert.match(reasons.get(6)!, /line is \d+ bytes, over the 1024-byte limit/);
  assert.equal(reasons.get(7), 'not valid JSON: the line holds binary data');
  assert.match(reasons.get(8)!, /^bin must be 6-8 digits \(a full card number is refused\)/);
  assert.match(reasons.get(9)!, /^text holds what looks like a full card number/);
  assert.match(reasons.get(10)!, /an event must be a JSON object/);
  assert.equal(reasons.get(11), 'empty line');
  assert.equal(result.rejected.length, 11);
  assert.deepEqual((await storedTexts(log)).map((t) => (JSON.parse(t) as { id: string }).id), ['ok1', 'ok2']);
  assert.ok(!(await storedTexts(log)).some((t) => t.includes('4111')), 'no PAN reaches the log');
  assert.deepEqual(ingestor.stats().byTransport.file, { accepted: 2, duplicates: 0, rejected: 11 });
  await ingestor.close();
  await log.close();
});

test('a malformed line never echoes a card number in its reason', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log });
  const result = await ingestor.ingest(['{"v":1,"pan":4111111111111111 "x"}'], { transport: 'http' });
  assert.equal(result.rejected.length, 1);
  assert.doesNotMatch(result.rejected[0]!.error, /4111111111111111/);
  await ingestor.close();
  await log.close();
});

test('duplicates (terminal+id) are dropped within a batch, across batches and after a restart', async () => {
  const { dir, log } = await freshLog();
  const ingestor = await createIngestor({ log });
  const first = await ingestor.ingest([line({ id: 'a' }), line({ id: 'a' }), line({ id: 'a', terminal: 'T2' })], { transport: 'mqtt' });
  assert.deepEqual(first, { accepted: 2, duplicates: 1, rejected: [] });
  assert.deepEqual(await ingestor.ingest([heartbeat({ id: 'a' })], { transport: 'mqtt' }), { accepted: 0, duplicates: 1, rejected: [] });
  await ingestor.close();
  await log.close();

  const reopened = await openSegmentLog(dir);
  const again = await createIngestor({ log: reopened });
  assert.equal(again.stats().dedupeKeys, 2);
  const result = await again.ingest([line({ id: 'a' }), line({ id: 'b' })], { transport: 'http' });
  assert.deepEqual(result, { accepted: 1, duplicates: 1, rejected: [] });
  assert.equal(reopened.nextOffset(), 3);
  await again.close();
  await reopened.close();
});

test('the duplicate window forgets keys older than dedupeWindowMs, also when rebuilt from the log', async () => {
  let clock = Date.parse('2026-06-01T00:00:00Z');
  const { dir, log } = await freshLog();
  await log.close();
  const timedLog = await openSegmentLog(dir, { now: () => clock });
  const ingestor = await createIngestor({ log: timedLog, dedupeWindowMs: 3600_000, now: () => clock });
  await ingestor.ingest([line({ id: 'old' })], { transport: 'http' });
  clock += 3 * 3600_000;
  await ingestor.ingest([line({ id: 'new' })], { transport: 'http' });
  await ingestor.close();
  await timedLog.close();
  const reopened = await openSegmentLog(dir, { now: () => clock });
  const again = await createIngestor({ log: reopened, dedupeWindowMs: 3600_000, now: () => clock });
  assert.equal(again.stats().dedupeKeys, 1);
  assert.deepEqual(await again.ingest([line({ id: 'old' }), line({ id: 'new' })], { transport: 'http' }), { accepted: 1, duplicates: 1, rejected: [] });
  await again.close();
  await reopened.close();
});

test('an authenticated terminal may only send its own events', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log });
  const result = await ingestor.ingest([line({ id: 'a', terminal: 'T1' }), line({ id: 'b', terminal: 'T9' })], { transport: 'mqtt', terminal: 'T1' });
  assert.equal(result.accepted, 1);
  assert.deepEqual(result.rejected, [{ index: 1, error: 'terminal T9 is not the authenticated terminal T1' }]);
  await ingestor.close();
  await log.close();
});

test('listeners hear every durable event once, in log order, with its offset', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log });
  const heard: [string, number][] = [];
  const stop = ingestor.onEvent((e, offset) => heard.push([e.id, offset]));
  await Promise.all(Array.from({ length: 20 }, (_, i) => ingestor.ingest([line({ id: `e${i}a` }), line({ id: `e${i}b` })], { transport: 'http' })));
  assert.equal(heard.length, 40);
  assert.deepEqual(heard.map(([, o]) => o), Array.from({ length: 40 }, (_, i) => i));
  const logged: string[] = [];
  for await (const { event } of readEvents(log)) logged.push(event.id);
  assert.deepEqual(heard.map(([id]) => id), logged);
  stop();
  await ingestor.ingest([line({ id: 'after' })], { transport: 'http' });
  assert.equal(heard.length, 40);
  await ingestor.close();
  await log.close();
});

test('ingest() throws INGEST_OVERLOADED while too many events wait for the log, and recovers', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log, maxQueue: 10 });
  const first = ingestor.ingest(Array.from({ length: 8 }, (_, i) => line({ id: `q${i}` })), { transport: 'http' });
  await assert.rejects(
    ingestor.ingest(Array.from({ length: 5 }, (_, i) => line({ id: `r${i}` })), { transport: 'http' }),
    (err) => isPosopsError(err, 'INGEST_OVERLOADED'),
  );
  assert.equal((await first).accepted, 8);
  await eventually(() => assert.equal(ingestor.stats().queueDepth, 0));
  assert.equal((await ingestor.ingest([line({ id: 'r0' })], { transport: 'http' })).accepted, 1);
  assert.ok(ingestor.stats().logBytes > 0);
  await ingestor.close();
  await log.close();
});

test('a failed append is not acknowledged and its events are not remembered as seen', async () => {
  const { log } = await freshLog();
  const ingestor = await createIngestor({ log });
  await log.close(); // appends now fail
  await assert.rejects(ingestor.ingest([line({ id: 'lost' })], { transport: 'http' }), (err) => isPosopsError(err, 'LOG_CLOSED'));
  assert.equal(ingestor.stats().byTransport.http.accepted, 0);
  assert.equal(ingestor.stats().dedupeKeys, 0);
  await ingestor.close();
});
