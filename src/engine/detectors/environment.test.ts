// env.overheat and env.humidity: found within two heartbeats of the heat or damp showing, while a
// single odd reading or a whole region warming up through the afternoon stays ok.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PosEvent } from '../../domain/index.ts';
import { at, boot, diagnosisOf, engineWith, heartbeat, merged, registry, shopDays, terminal } from '../test-builders.ts';

const OPEN = 60;
const CLOSE = 780;
const NAMES = ['T1', 'T2', 'T3', 'T4', 'T5'];
const reg = registry(NAMES.map((t) => terminal({ terminal: t, region: 'Hangzhou' })));
const fleetDays = () => NAMES.map((t, i) => shopDays({ terminal: t, days: 2, open: OPEN, close: CLOSE, seed: i + 3 }));

/** Sets the environment of the heartbeats `pick` selects (the rest stay as they are). */
const withEnv = (events: PosEvent[], pick: (e: PosEvent) => boolean, env: (e: PosEvent) => Record<string, number>): PosEvent[] =>
  events.map((e) => (e.type === 'heartbeat' && pick(e) ? ({ ...e, env: env(e) } as unknown as PosEvent) : e));

const T1 = (e: PosEvent): boolean => e.terminal === 'T1';
const minute = (e: PosEvent): number => (e.tsMs - at(0)) / 60_000;

/** T1's first diagnosis (or its status) at `now`, from the events up to then. */
function firstCause(events: PosEvent[], now: number): string {
  const d = diagnosisOf(engineWith(reg, events.filter((e) => e.tsMs <= now)), 'T1', now);
  return d.diagnoses[0]?.cause ?? d.status;
}

test('a terminal switched on in the sun is too hot after its second reading', () => {
  const today = [boot({ terminal: 'T1', t: at(1440 + OPEN) }), ...[0, 5].map((m) => heartbeat({ terminal: 'T1', t: at(1440 + OPEN + m), env: { temp_c: 62 } }))];
  const events = merged(...fleetDays().map((list) => list.filter((e) => !T1(e) || e.tsMs < at(1440))), today);
  assert.equal(firstCause(events, at(1440 + OPEN + 6)), 'env.overheat');
});

test('a spot that turns hot while the terminal is on is too hot after two readings, not after its 2-hour mean climbs', () => {
  const hot = (e: PosEvent): boolean => T1(e) && e.tsMs >= at(1440 + 300);
  const events = withEnv(merged(...fleetDays()), hot, () => ({ temp_c: 52 }));
  assert.equal(firstCause(events, at(1440 + 306)), 'env.overheat');
});

test('one hot reading is not overheating', () => {
  const events = withEnv(merged(...fleetDays()), (e) => T1(e) && e.tsMs === at(1440 + 300), () => ({ temp_c: 62 }));
  assert.equal(firstCause(events, at(1440 + 301)), 'ok');
  assert.equal(firstCause(events, at(1440 + 311)), 'ok');
});

test('a region whose terminals all warm up through the afternoon is not overheating', () => {
  // 36 °C in the morning to 49 °C at 14:00 local, every terminal alike, both days
  const curve = (e: PosEvent) => ({ temp_c: 36 + 13 * Math.max(0, Math.sin(((minute(e) % 1440) - OPEN) / (CLOSE - OPEN) * Math.PI)) });
  const events = withEnv(merged(...fleetDays()), () => true, curve);
  assert.equal(firstCause(events, at(1440 + (OPEN + CLOSE) / 2)), 'ok');
});

test('a terminal whose spot turns damp is too humid after its second reading', () => {
  const damp = (e: PosEvent): boolean => T1(e) && e.tsMs >= at(1440 + 300);
  const events = withEnv(merged(...fleetDays()), () => true, (e) => ({ temp_c: 35, humidity_pct: damp(e) ? 96 : 60 }));
  assert.equal(firstCause(events, at(1440 + 301)), 'ok');
  assert.equal(firstCause(events, at(1440 + 306)), 'env.humidity');
});
