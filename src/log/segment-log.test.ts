import assert from 'node:assert/strict';
import { mkdtemp, open, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isPosopsError } from '../domain/index.ts';
import { openSegmentLog, type EventLog } from './index.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-log-'));
  dirs.push(dir);
  return dir;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function readAll(log: EventLog, from = 0): Promise<{ offset: number; text: string }[]> {
  const out: { offset: number; text: string }[] = [];
  for await (const r of log.read(from)) out.push({ offset: Number(r.offset), text: r.data.toString('utf8') });
  return out;
}

const rec = (i: number) => JSON.stringify({ i, note: `record ${i} ✓` });

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.seg')).sort();
}

test('append() resolves after the records are durable and read() returns them in order with offsets', async () => {
  const dir = await tempDir();
  const log = await openSegmentLog(dir);
  assert.equal(log.nextOffset(), 0);
  await log.append([rec(0), Buffer.from(rec(1))]);
  await log.append([rec(2)]);
  assert.equal(log.nextOffset(), 3);
  assert.deepEqual(await readAll(log), [0, 1, 2].map((i) => ({ offset: i, text: rec(i) })));
  assert.deepEqual((await readAll(log, 2)).map((r) => r.offset), [2]);
  assert.equal(log.bytes(), (await stat(join(dir, (await segmentFiles(dir))[0]!))).size);
  await log.close();
  await assert.rejects(log.append([rec(3)]), (err) => isPosopsError(err, 'LOG_CLOSED'));
});

test('concurrent appends share fsyncs (group commit) and keep their order', async () => {
  const log = await openSegmentLog(await tempDir());
  await Promise.all(Array.from({ length: 200 }, (_, i) => log.append([rec(i)])));
  assert.ok(log.syncCount() < 20, `200 concurrent appends took ${log.syncCount()} fsyncs`);
  const all = await readAll(log);
  assert.deepEqual(all.map((r) => r.text), Array.from({ length: 200 }, (_, i) => rec(i)));
  await log.close();
});

test('a reopened log keeps its records and continues the offsets', async () => {
  const dir = await tempDir();
  const first = await openSegmentLog(dir);
  await first.append([rec(0), rec(1)]);
  await first.close();
  const second = await openSegmentLog(dir);
  assert.equal(second.recovery, undefined);
  assert.equal(second.nextOffset(), 2);
  await second.append([rec(2)]);
  assert.deepEqual((await readAll(second)).map((r) => r.text), [rec(0), rec(1), rec(2)]);
  await second.close();
});

test('segments rotate at the size limit and read() crosses them from any offset', async () => {
  const dir = await tempDir();
  const log = await openSegmentLog(dir, { segmentBytes: 200 });
  for (let i = 0; i < 30; i++) await log.append([rec(i)]);
  assert.ok(log.segmentCount() >= 8, `only ${log.segmentCount()} segments`);
  assert.equal((await segmentFiles(dir)).length, log.segmentCount());
  assert.deepEqual((await readAll(log, 13)).map((r) => r.text), Array.from({ length: 17 }, (_, i) => rec(13 + i)));
  await log.close();
  const reopened = await openSegmentLog(dir, { segmentBytes: 200 });
  assert.equal(reopened.nextOffset(), 30);
  assert.equal((await readAll(reopened)).length, 30);
  await reopened.close();
});

test('retention deletes whole old segments only, and reading starts at the oldest kept record', async () => {
  const dir = await tempDir();
  let clock = 1_000_000;
  const log = await openSegmentLog(dir, { segmentBytes: 300, retentionMs: 60_000, now: () => clock });
  for (let i = 0; i < 10; i++) await log.append([rec(i)]);
  const before = await segmentFiles(dir);
  assert.ok(before.length >= 2);
  clock += 120_000; // everything so far is older than the retention
  for (let i = 10; i < 14; i++) await log.append([rec(i)]);
  const afterFiles = await segmentFiles(dir);
  assert.ok(!afterFiles.includes(before[0]!), 'the oldest segment was not deleted');
  assert.ok(afterFiles.includes(before.at(-1)!), 'the segment written until the clock jump must be kept');
  const kept = await readAll(log);
  assert.equal(kept[0]!.offset, log.firstOffset());
  assert.ok(log.firstOffset() > 0);
  assert.deepEqual(kept.map((r) => r.text), Array.from({ length: 14 - log.firstOffset() }, (_, i) => rec(log.firstOffset() + i)));
  assert.ok(kept.some((r) => r.offset < 10), 'the segment holding recent records before the jump must survive');
  await log.close();
});

test('opening cuts a torn last record and the log is appendable again', async () => {
  const dir = await tempDir();
  const log = await openSegmentLog(dir);
  await log.append([rec(0), rec(1), rec(2)]);
  await log.close();
  const file = join(dir, (await segmentFiles(dir))[0]!);
  const { size } = await stat(file);
  await truncate(file, size - 5); // the write of record 2 was cut short
  const reopened = await openSegmentLog(dir);
  assert.equal(reopened.recovery?.reason, 'partial');
  assert.equal(reopened.recovery?.keptRecords, 2);
  assert.equal(reopened.nextOffset(), 2);
  await reopened.append([rec(9)]);
  assert.deepEqual((await readAll(reopened)).map((r) => r.text), [rec(0), rec(1), rec(9)]);
  await reopened.close();
});

test('opening detects corrupt tail bytes (garbage and a flipped byte) by CRC and cuts them', async () => {
  const dir = await tempDir();
  const log = await openSegmentLog(dir);
  await log.append([rec(0), rec(1), rec(2)]);
  await log.close();
  const file = join(dir, (await segmentFiles(dir))[0]!);
  const { size } = await stat(file);
  const fh = await open(file, 'r+');
  await fh.write(Buffer.from([0x7a]), 0, 1, size - 3); // flip a byte inside record 2
  await fh.write(Buffer.from('\x00\x13garbage after the end \xff\xfe', 'latin1'), 0, 24, size);
  await fh.close();
  const reopened = await openSegmentLog(dir);
  assert.equal(reopened.recovery?.reason, 'corrupt');
  assert.equal(reopened.recovery?.keptRecords, 2);
  assert.equal(reopened.recovery?.truncatedBytes, size + 24 - (await stat(file)).size);
  assert.deepEqual((await readAll(reopened)).map((r) => r.text), [rec(0), rec(1)]);
  await reopened.append([rec(3)]);
  await reopened.close();
  const again = await openSegmentLog(dir);
  assert.equal(again.recovery, undefined);
  assert.deepEqual((await readAll(again)).map((r) => r.text), [rec(0), rec(1), rec(3)]);
  await again.close();
});

test('a second open of the same folder is refused while the first holds it', async () => {
  const dir = await tempDir();
  const log = await openSegmentLog(dir);
  await assert.rejects(openSegmentLog(dir), (err) => isPosopsError(err, 'LOG_LOCKED') && /in use by process/.test(err.message));
  await log.close();
  const again = await openSegmentLog(dir);
  await again.close();
});
