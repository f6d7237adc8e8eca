import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readEvents } from '../ingest/index.ts';
import { openSegmentLog } from '../log/index.ts';

const BIN = fileURLToPath(new URL('../../bin/posops.js', import.meta.url));
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-import-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function posops(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, POSOPS_DATA: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ev = (id: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, id, type: 'heartbeat', terminal: 'T100', ts: '2026-06-04T09:37:49Z', printer: 'ok', ...over });

async function loggedIds(data: string): Promise<string[]> {
  const log = await openSegmentLog(join(data, 'log'));
  const ids: string[] = [];
  for await (const { event } of readEvents(log)) ids.push(event.id);
  await log.close();
  return ids;
}

// line number → the reason expected on stderr as `file:line: reason`
const BAD: [string, RegExp][] = [
  ['{"v":1,"id":"m1","type":"heartbeat",', /not valid JSON/],
  [ev('w1', { printer: 7 }), /printer must be one of/],
  [ev('r1', { battery: { level_pct: 101 } }), /battery\.level_pct must be between 0 and 100, got 101/],
  [ev('u1', { type: 'teleport' }), /type must be one of/],
  [JSON.stringify({ v: 1, id: 'f1', type: 'heartbeat', ts: '2026-06-04T09:37:49Z' }), /terminal is required/],
  [ev('o1', { note: 'x'.repeat(70 * 1024) }), /line is \d+ bytes, over the 65536-byte limit/],
  ['\u0000\u0001\u0002\u0003binary\u00ff\u00fe', /not valid JSON: the line holds binary data/],
  [ev('p1', { type: 'txn', bin: '4111111111111111' }), /bin must be 6-8 digits \(a full card number is refused\)/],
];

test('posops import --events takes the good lines, names each bad one as file:line: reason, and exits 0', async () => {
  const data = join(dir, 'data1');
  const file = join(dir, 'mixed.ndjson');
  const lines = [ev('g0')];
  BAD.forEach(([bad], i) => lines.push(bad, ev(`g${i + 1}`)));
  await writeFile(file, lines.join('\n') + '\n');
  const r = posops('import', '--events', file, '--data', data);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`mixed\\.ndjson: ${lines.length} lines, ${BAD.length + 1} accepted, 0 duplicates, ${BAD.length} rejected`));
  BAD.forEach(([, reason], i) => {
    const lineNo = 2 + 2 * i;
    const listed = r.stderr.split('\n').find((l) => l.startsWith(`${file}:${lineNo}: `));
    assert.ok(listed, `line ${lineNo} is not reported:\n${r.stderr}`);
    assert.match(listed, reason);
  });
  assert.doesNotMatch(r.stderr, /4111111111111111/, 'a card number is never echoed');
  assert.deepEqual(await loggedIds(data), Array.from({ length: BAD.length + 1 }, (_, i) => `g${i}`));
});

test('a second import of the same events (gzip this time) counts them as duplicates', async () => {
  const data = join(dir, 'data2');
  const plain = join(dir, 'plain.ndjson');
  const gz = join(dir, 'again.ndjson.gz');
  const text = [ev('a'), ev('b'), ev('c')].join('\n');
  await writeFile(plain, text);
  await writeFile(gz, gzipSync(text + '\n' + ev('d')));
  assert.equal(posops('import', '--events', plain, '--data', data).status, 0);
  const r = posops('import', '--events', gz, '--data', data);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /events: 1 accepted, 3 duplicates, 0 rejected/);
  assert.deepEqual(await loggedIds(data), ['a', 'b', 'c', 'd']);
});

test('the rejection listing stops at 50 lines and says how many more there are', async () => {
  const file = join(dir, 'many-bad.ndjson');
  await writeFile(file, Array.from({ length: 80 }, (_, i) => ev(`x${i}`, { printer: 'on fire' })).concat(ev('fine')).join('\n'));
  const r = posops('import', '--events', file, '--data', join(dir, 'data3'));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith(`${file}:`)).length, 50);
  assert.match(r.stderr, /… and 30 more rejected/);
});

test('a missing file, or a file with no event at all, exits non-zero with the reason', async () => {
  const missing = posops('import', '--events', join(dir, 'nope.ndjson'), '--data', join(dir, 'data4'));
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /cannot read .*nope\.ndjson.*ENOENT/);
  const garbage = join(dir, 'garbage.bin');
  await writeFile(garbage, Buffer.from([0x00, 0xff, 0x10, 0x0a, 0x89, 0x50, 0x4e, 0x47]));
  const r = posops('import', '--events', garbage, '--data', join(dir, 'data4'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no event could be read/);
  const none = posops('import', '--data', join(dir, 'data4'));
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /--events FILE… and\/or --fleet FILE…/);
});
