// The simulator's truth follows spec/causes.md "looks like": an app conflict shows its app in
// `apps` even when the fault began on a switched-off terminal, and a card of a failing issuer is
// never approved (a terminal with its own fault meets no such card rather than a working issuer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOUR, MINUTE } from './clock.ts';
import { createTerminalSims } from './fleet.ts';
import { generateFleet, parseScenario } from './index.ts';
import { CONFLICTING_APPS } from './world.ts';

const START = Date.parse('2026-11-20T02:00:00Z'); // 10:00 in China

function run(faults: object[], shape: (i: number) => { nightOff: boolean; openMin: number; closeMin: number }) {
  const scenario = parseScenario(JSON.stringify({ faults }));
  const fleet = generateFleet({ terminals: 6, days: 1, seed: 5, start: '2026-11-20T02:00:00Z', scenario });
  fleet.profiles.forEach((p, i) => Object.assign(p, { rate: 30 }, shape(i)));
  const lines = new Map<string, Record<string, unknown>[]>();
  const sims = createTerminalSims(fleet, (id) => (_arrival, line) => {
    lines.set(id, [...(lines.get(id) ?? []), JSON.parse(line) as Record<string, unknown>]);
  });
  return { fleet, sims, lines };
}

test('an app conflict that begins while the terminal is switched off lists the app at its next boot, before the crashes', () => {
  // T1000001 opens at 12:00 local (powered from 11:40), two hours after the fault begins at 10:00
  const { fleet, sims, lines } = run([{ at: '+0s', cause: 'sw.app_conflict', terminal: 'T1000001' }], (i) => ({ nightOff: true, openMin: i === 0 ? 720 : 0, closeMin: 1440 }));
  assert.ok(fleet.profiles[0]!.model.android, 'the scenario picked an Android terminal');
  for (const s of sims) s.advance(START + 6 * HOUR);
  const events = lines.get('T1000001') ?? [];
  const firstCrash = events.findIndex((e) => e['code'] === 'APP_CRASH' || e['code'] === 'APP_ANR');
  assert.ok(firstCrash > 0, 'the conflict made the app crash');
  const listed = events.slice(0, firstCrash).some((e) => Array.isArray(e['apps']) && (e['apps'] as string[]).some((a) => CONFLICTING_APPS.includes(a)));
  assert.ok(listed, 'no heartbeat listed the conflicting app before the first crash');
});

test('during an issuer outage its cards get 91 on every terminal: one with its own fault sees none of them approved', () => {
  const faults = [
    { at: '+0s', cause: 'provider.issuer_down', scope: { bin: '62266' } },
    { at: '+0s', cause: 'hw.printer', terminal: 'T1000002' },
    { at: '+0s', cause: 'acct.limit_exceeded', terminal: 'T1000003' },
  ];
  const { sims, lines } = run(faults, () => ({ nightOff: false, openMin: 0, closeMin: 1440 }));
  for (const s of sims) s.advance(START + 3 * HOUR - MINUTE);
  const approved: string[] = [];
  let failed = 0;
  for (const [id, events] of lines) {
    for (const e of events) {
      if (e['type'] !== 'txn' || !String(e['bin'] ?? '').startsWith('62266')) continue;
      if (e['rc'] === '91') failed++;
      else if (e['rc'] !== null) approved.push(`${id} ${String(e['rc'])}`);
    }
  }
  assert.ok(failed > 0, 'the issuer outage answered 91');
  assert.deepEqual(approved, [], 'cards of the failing issuer were answered otherwise');
});
