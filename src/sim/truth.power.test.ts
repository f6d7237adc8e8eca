// Truth only names what a terminal could show: incident members were switched on during the
// incident, and a terminal's own fault starts while it is on (runs whose `at` falls at night).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateFleet, writeSimFiles } from './index.ts';
import { isPowered } from './schedule.ts';
import { poweredDuring } from './truth.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

// 03:00 China time at the end: most shops are closed and their terminals switched off
const fleet = generateFleet({ terminals: 200, days: 1, seed: 67, start: '2026-09-15T19:00:00Z' });
const byId = new Map(fleet.profiles.map((p) => [p.id, p]));

test('own faults of a night run start while their terminal is switched on', () => {
  const own = fleet.faults.filter((f) => f.incident === undefined && !f.transient && f.from > fleet.start && f.cause !== 'contract.expired');
  assert.ok(own.length > 10);
  const off = own.filter((f) => !isPowered(byId.get(f.terminal)!, f.from));
  assert.deepEqual(off.map((f) => `${f.terminal} ${f.cause}`), []);
});

test('host and carrier incident members in the truth were switched on during the incident', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-sim-'));
  dirs.push(dir);
  await writeSimFiles(fleet, dir);
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as { at: string; incidents: { cause: string; terminals: string[]; since: string; scope: Record<string, string> }[] };
  const at = Date.parse(truth.at);
  const hostIncidents = truth.incidents.filter((i) => i.cause === 'net.host_slow' || i.cause === 'provider.maintenance');
  assert.ok(hostIncidents.length > 0);
  for (const inc of hostIncidents) {
    const since = Date.parse(inc.since);
    for (const t of inc.terminals) assert.ok(poweredDuring(byId.get(t)!, since, at), `${t} was off during ${inc.cause}`);
    // and the host has terminals that were off the whole time, left out
    const host = fleet.profiles.filter((p) => p.host.host === inc.scope['host']);
    assert.ok(inc.terminals.length < host.length, `${inc.cause}: every terminal of ${inc.scope['host']} is a member at 03:00`);
  }
});

test('at 03:00 the carrier outage and the bad update are planned on terminals switched on then: each shows on 3 or more', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-sim-'));
  dirs.push(dir);
  await writeSimFiles(fleet, dir);
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as { incidents: { cause: string; terminals: string[] }[] };
  for (const cause of ['net.carrier_outage', 'sw.incompatible_update']) {
    const inc = truth.incidents.find((i) => i.cause === cause);
    assert.ok(inc && inc.terminals.length >= 3, `${cause}: ${JSON.stringify(inc?.terminals)}`);
  }
});
