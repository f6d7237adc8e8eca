import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCauseCode, TERMINAL_STATUSES } from '../domain/index.ts';
import { at, heartbeat, merged, registry, shopDays, terminal } from '../engine/test-builders.ts';

test('posops diagnose prints the spec JSON, skips bad lines with file:line on stderr, counts duplicates once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posops-diagnose-'));
  const reg = registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' }), terminal({ terminal: 'T3' })]);
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(reg));
  const events = merged(...['T1', 'T2', 'T3'].map((t, i) => shopDays({ terminal: t, days: 1, open: 60, close: 600, seed: i + 1 })), [heartbeat({ terminal: 'T2', t: at(590), tamper: true, id: 'tamper1' })]);
  const lines = events.map((e) => {
    const { tsMs: _ms, ...rest } = e;
    return JSON.stringify(rest);
  });
  lines.splice(10, 0, 'this is not json', lines[5]!, '{"v":1,"id":"x","type":"txn","terminal":"T1","ts":"nope"}', lines[lines.length - 1]!);
  lines.push(JSON.stringify({ v: 1, id: 'u1', type: 'heartbeat', terminal: 'T9', ts: new Date(at(599)).toISOString() }));
  writeFileSync(join(dir, 'events.ndjson'), lines.join('\n') + '\n');
  const r = spawnSync(process.execPath, ['bin/posops.js', 'diagnose', '--fleet', join(dir, 'fleet.json'), '--events', join(dir, 'events.ndjson'), '--format', 'json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { at: string; terminals: { terminal: string; status: string; diagnoses: { cause: string; confidence: number }[] }[]; incidents: unknown[] };
  assert.equal(out.at, new Date(at(599)).toISOString());
  assert.deepEqual(out.terminals.map((t) => t.terminal), ['T1', 'T2', 'T3', 'T9']);
  for (const t of out.terminals) {
    assert.ok(TERMINAL_STATUSES.includes(t.status as never));
    for (const d of t.diagnoses) assert.ok(isCauseCode(d.cause) && d.confidence >= 0 && d.confidence <= 1);
  }
  const t2 = out.terminals.find((t) => t.terminal === 'T2')!;
  assert.equal(t2.status, 'locked');
  assert.equal(t2.diagnoses[0]?.cause, 'sec.tamper');
  assert.equal(out.terminals.find((t) => t.terminal === 'T1')!.status, 'ok');
  assert.ok(Array.isArray(out.incidents));
  assert.match(r.stderr, /events\.ndjson:11: not valid JSON/);
  assert.match(r.stderr, /events\.ndjson:13: .*ts/);
  assert.match(r.stderr, /2 invalid line\(s\) skipped/);
  assert.match(r.stderr, /2 duplicate event\(s\)/);
  assert.match(r.stderr, /1 terminal\(s\) not in the registry/);
});

test('posops diagnose exits non-zero with the reason when the input cannot be read', () => {
  const r = spawnSync(process.execPath, ['bin/posops.js', 'diagnose', '--fleet', '/nonexistent/fleet.json', '--events', '/nonexistent/e.ndjson', '--format', 'json'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot read the input/);
});

test('posops diagnose names an event file that breaks off (truncated .gz) or is missing, diagnoses the rest and exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'posops-diagnose-'));
  writeFileSync(join(dir, 'fleet.json'), JSON.stringify(registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' })])));
  const line = (t: string, i: number) => JSON.stringify({ v: 1, id: `${t}-${i}`, type: 'heartbeat', terminal: t, ts: new Date(at(60 + (i % 500))).toISOString() });
  const t1 = Array.from({ length: 20_000 }, (_, i) => line('T1', i)).join('\n') + '\n';
  const gz = gzipSync(Buffer.from(t1));
  writeFileSync(join(dir, 'cut.ndjson.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)));
  writeFileSync(join(dir, 'good.ndjson'), Array.from({ length: 30 }, (_, i) => line('T2', i)).join('\n') + '\n');
  const run = (...files: string[]) => spawnSync(process.execPath, ['bin/posops.js', 'diagnose', '--fleet', join(dir, 'fleet.json'), '--events', ...files.map((f) => join(dir, f)), '--format', 'json'], { encoding: 'utf8' });
  const r = run('cut.ndjson.gz', 'missing.ndjson', 'good.ndjson');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot read \S*cut\.ndjson\.gz after line \d+ \(the lines before it are used\): unexpected end of file/);
  assert.match(r.stderr, /cannot read \S*missing\.ndjson: ENOENT/);
  const out = JSON.parse(r.stdout) as { terminals: { terminal: string }[] };
  assert.deepEqual(out.terminals.map((t) => t.terminal), ['T1', 'T2']);
  const none = run('missing.ndjson');
  assert.equal(none.status, 2);
  assert.match(none.stderr, /no event file could be read/);
});
