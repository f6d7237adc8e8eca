// Remote commands on a simulated terminal: reboot, update (a bad version makes it crash, rollback
// stops it), lock/unlock, clear_cache and reload_keys clearing their faults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOUR, MINUTE } from './clock.ts';
import { createTerminalSims } from './fleet.ts';
import { generateFleet, parseScenario } from './index.ts';
import { runCommand } from './terminal.commands.ts';
import type { TerminalSim } from './terminal.ts';

const START = Date.parse('2026-11-20T02:00:00Z'); // 10:00 in China: shops open

function setup() {
  const scenario = parseScenario(JSON.stringify({ faults: [
    { at: '+0s', cause: 'sw.storage_full', terminal: 'T1000001' },
    { at: '+0s', cause: 'sw.key_error', terminal: 'T1000002' },
  ] }));
  const fleet = generateFleet({ terminals: 4, days: 1, seed: 9, start: '2026-11-20T02:00:00Z', scenario });
  for (const p of fleet.profiles) {
    p.nightOff = false;
    p.rate = 30;
    p.openMin = 0;
    p.closeMin = 1440;
  }
  const lines = new Map<string, { ts: number; e: Record<string, unknown> }[]>();
  const sims = createTerminalSims(fleet, (id) => (_arrival, line, ts) => {
    lines.set(id, [...(lines.get(id) ?? []), { ts, e: JSON.parse(line) as Record<string, unknown> }]);
  });
  const sim = (i: number) => sims[i]!;
  const after = (s: TerminalSim, t: number) => (lines.get(s.p.id) ?? []).filter((x) => x.ts >= t).map((x) => x.e);
  const run = (t: number) => sims.forEach((s) => s.advance(t));
  fleet.badVersions.push({ model: sim(2).p.model.model, component: 'firmware', version: '66.0.0', campaign: 'CMP-BAD' });
  return { sim, after, run };
}

test('clear_cache clears storage full and reload_keys clears key errors', () => {
  const { sim, after, run } = setup();
  run(START + 2 * HOUR);
  assert.ok(after(sim(0), START).some((e) => e['code'] === 'STORAGE_FULL'));
  assert.ok(after(sim(1), START).some((e) => e['rc'] === 'A0'));
  const t = START + 2 * HOUR;
  assert.equal(runCommand(sim(0), t, 'clear_cache'), 'done');
  assert.equal(runCommand(sim(1), t, 'reload_keys'), 'done');
  run(t + 4 * HOUR);
  assert.ok(!after(sim(0), t + 1).some((e) => e['code'] === 'STORAGE_FULL'), 'storage still full after clear_cache');
  const hb = after(sim(0), t + 1).find((e) => e['storage_free_mb'] !== undefined);
  assert.ok(hb && (hb['storage_free_mb'] as number) > 500);
  assert.ok(!after(sim(1), t + 1).some((e) => e['rc'] === 'A0' || e['code'] === 'KEY_ERROR'), 'keys still bad after reload_keys');
  assert.ok(after(sim(1), t + 1).some((e) => e['rc'] === '00'));
});

test('a bad update makes the terminal crash and a rollback stops it', () => {
  const { sim, after, run } = setup();
  const t = START + HOUR;
  run(t);
  assert.equal(runCommand(sim(2), t, 'update', { component: 'firmware', version: '66.0.0' }), 'done');
  run(t + 3 * HOUR);
  const events = after(sim(2), t);
  assert.ok(events.some((e) => e['type'] === 'update' && e['status'] === 'installed' && e['to'] === '66.0.0'));
  assert.ok(events.some((e) => (e['versions'] as { firmware?: string } | undefined)?.firmware === '66.0.0'));
  assert.ok(events.filter((e) => e['code'] === 'APP_CRASH').length >= 3, 'no crashes after the bad update');
  const r = t + 3 * HOUR;
  assert.equal(runCommand(sim(2), r, 'rollback'), 'done');
  run(r + 3 * HOUR);
  const later = after(sim(2), r);
  assert.ok(later.some((e) => e['status'] === 'rolled_back' && e['from'] === '66.0.0'));
  assert.ok(!later.some((e) => e['code'] === 'APP_CRASH'), 'still crashing after the rollback');
});

test('reboot sends a remote boot; lock stops payments; unknown commands fail', () => {
  const { sim, after, run } = setup();
  const t = START + HOUR;
  run(t);
  assert.equal(runCommand(sim(3), t, 'reboot'), 'done');
  assert.equal(runCommand(sim(3), t, 'lock'), 'done');
  run(t + 3 * HOUR);
  assert.ok(after(sim(3), t).some((e) => e['type'] === 'boot' && e['reason'] === 'remote'));
  assert.ok(!after(sim(3), t + 1).some((e) => e['type'] === 'txn'), 'payments while locked');
  assert.equal(runCommand(sim(3), t + 3 * HOUR, 'unlock'), 'done');
  run(t + 5 * HOUR);
  assert.ok(after(sim(3), t + 3 * HOUR + MINUTE).some((e) => e['type'] === 'txn'), 'no payments after unlock');
  assert.equal(runCommand(sim(3), t, 'format_disk'), 'failed');
});
