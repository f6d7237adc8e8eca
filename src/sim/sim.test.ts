// The generator: every event valid, truth complete, byte-identical for a seed, the random mix
// covers every cause and the five incidents.
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CAUSE_CODES, parseRegistryJson, validateLine } from '../domain/index.ts';
import { generateFleet, writeSimFiles } from './index.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'posops-sim-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('writeSimFiles() writes 300 terminals × 1 day of valid events with a complete truth', async () => {
  const dir = await tempDir();
  const fleet = generateFleet({ terminals: 300, days: 1, seed: 7 });
  const { events } = await writeSimFiles(fleet, dir);
  const lines = (await readFile(join(dir, 'events.ndjson'), 'utf8')).split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, events);
  assert.ok(events > 50_000, `only ${events} events`);
  let maxTs = 0;
  const types = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const v = validateLine(lines[i]!);
    if (!v.ok) assert.fail(`line ${i + 1} is invalid: ${v.error}\n${lines[i]}`);
    maxTs = Math.max(maxTs, v.event.tsMs);
    types.set(v.event.type, (types.get(v.event.type) ?? 0) + 1);
  }
  for (const t of ['heartbeat', 'txn', 'error', 'boot', 'update', 'report']) assert.ok(types.get(t), `no ${t} events`);
  const { registry, problems } = parseRegistryJson(await readFile(join(dir, 'fleet.json'), 'utf8'));
  assert.deepEqual(problems, []);
  assert.equal(registry.terminals.length, 300);
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8'));
  assert.equal(Date.parse(truth.at), maxTs, 'truth.at is the latest ts');
  assert.deepEqual(Object.keys(truth.terminals).sort(), registry.terminals.map((t) => t.terminal).sort());
  const causes = new Set(Object.values(truth.terminals) as string[]);
  for (const c of CAUSE_CODES) assert.ok(causes.has(c), `cause ${c} missing from the truth`);
  const faulty = Object.values(truth.terminals).filter((c) => c !== 'ok').length;
  assert.ok(faulty >= 40 && faulty <= 100, `${faulty} of 300 faulty (expected about a fifth)`);
  assert.deepEqual(truth.incidents.map((i: { cause: string }) => i.cause).sort(),
    ['net.carrier_outage', 'net.host_slow', 'provider.issuer_down', 'provider.maintenance', 'sw.incompatible_update']);
  for (const inc of truth.incidents) for (const t of inc.terminals) assert.equal(truth.terminals[t], inc.cause);
  assert.ok(truth.transients.length >= 3, 'transient trouble that ended');
  assert.ok(registry.maintenance.some((m) => Date.parse(m.start) <= maxTs && maxTs < Date.parse(m.end)), 'an announced window is active');
});

test('the same seed gives byte-identical files; another seed does not', async () => {
  const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
  const opts = { terminals: 60, days: 0.5, seed: 42 };
  await writeSimFiles(generateFleet(opts), a);
  await writeSimFiles(generateFleet(opts), b);
  await writeSimFiles(generateFleet({ ...opts, seed: 43 }), c);
  for (const f of ['fleet.json', 'events.ndjson', 'truth.json']) {
    assert.ok((await readFile(join(a, f))).equals(await readFile(join(b, f))), `${f} differs between two runs of one seed`);
  }
  assert.notEqual(await readFile(join(a, 'events.ndjson'), 'utf8'), await readFile(join(c, 'events.ndjson'), 'utf8'));
});

test('a run with a worker thread writes the same files as a run in one thread', async () => {
  const [one, two] = [await tempDir(), await tempDir()];
  // Sized so that terminals of the worker's part send reports while being set up (slice 0).
  const opts = { terminals: 400, days: 0.2, seed: 5 };
  await writeSimFiles(generateFleet(opts), one, undefined, { workers: 0 });
  await writeSimFiles(generateFleet(opts), two, undefined, { workers: 1 });
  for (const f of ['fleet.json', 'events.ndjson', 'truth.json']) {
    assert.ok((await readFile(join(one, f))).equals(await readFile(join(two, f))), `${f} differs with a worker`);
  }
});

test('events arrive out of order, with a few duplicates, as a real feed does', async () => {
  const dir = await tempDir();
  await writeSimFiles(generateFleet({ terminals: 100, days: 0.5, seed: 3 }), dir);
  const lines = (await readFile(join(dir, 'events.ndjson'), 'utf8')).trim().split('\n');
  let backwards = 0;
  let prev = 0;
  const seen = new Set<string>();
  let dups = 0;
  for (const l of lines) {
    const e = JSON.parse(l) as { id: string; terminal: string; ts: string };
    const ts = Date.parse(e.ts);
    if (ts < prev) backwards++;
    prev = ts;
    const key = `${e.terminal}/${e.id}`;
    if (seen.has(key)) dups++;
    seen.add(key);
  }
  assert.ok(backwards > lines.length * 0.01, `only ${backwards} lines earlier than the one before`);
  assert.ok(dups > 0 && dups < lines.length * 0.01, `${dups} duplicates`);
});

test('generateFleet() refuses bad options with a message naming the option', () => {
  assert.throws(() => generateFleet({ terminals: -5, days: 1, seed: 1 }), /terminals must be a whole number/);
  assert.throws(() => generateFleet({ terminals: 10, days: 0, seed: 1 }), /days must be above 0/);
  assert.throws(() => generateFleet({ terminals: 10, days: 1, seed: 1.5 }), /seed must be a whole number/);
  assert.throws(() => generateFleet({ terminals: 10, days: 1, seed: 1, start: 'yesterday' }), /start must be an RFC 3339/);
});

test('small and odd-sized fleets generate and run for many seeds', async () => {
  for (const [terminals, days] of [[1, 0.1], [5, 0.3], [20, 0.2], [33, 1], [151, 0.25]] as const) {
    for (let seed = 1; seed <= 4; seed++) {
      const fleet = generateFleet({ terminals, days, seed });
      assert.equal(fleet.registry.terminals.length, terminals);
      if (terminals <= 33) await writeSimFiles(fleet, await tempDir());
    }
  }
});
