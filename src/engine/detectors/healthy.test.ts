// Healthy terminals that look suspicious: none of them may be flagged (samples/README.md, the
// held-out sets: "healthy terminals that look suspicious", "shops that close before at").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PosEvent } from '../../domain/index.ts';
import { at, boot, diagnosisOf, engineWith, heartbeat, merged, registry, shopDays, terminal, txn, update } from '../test-builders.ts';

const OPEN = 60;
const CLOSE = 780;
const NOW = at(1440 + 720);
const NAMES = ['T1', 'T2', 'T3', 'T4', 'T5'];
const reg = (region = 'Hangzhou') => registry(NAMES.map((t) => terminal({ terminal: t, region })));
const fleetDays = (close = CLOSE) => NAMES.map((t, i) => shopDays({ terminal: t, days: 2, open: OPEN, close, seed: i + 3 }));
/** Rewrites T1's heartbeats (the others stay as they are). */
const withHeartbeat = (events: PosEvent[], f: (e: Record<string, unknown>) => Record<string, unknown>): PosEvent[] =>
  events.map((e) => (e.type === 'heartbeat' && e.terminal === 'T1' ? (f(e as unknown as Record<string, unknown>) as unknown as PosEvent) : e));

function assertOk(events: PosEvent[], now = NOW, r = reg()): void {
  const d = diagnosisOf(engineWith(r, events), 'T1', now);
  assert.equal(d.status, 'ok', `T1 flagged: ${JSON.stringify(d.diagnoses.map((x) => [x.cause, x.confidence, x.evidence]))}`);
}

test('a shop that closes two hours early today (before at) is not offline', () => {
  const t1 = shopDays({ terminal: 'T1', days: 1, open: OPEN, close: CLOSE, seed: 3 });
  const today = shopDays({ terminal: 'T1', days: 2, open: OPEN, close: 600, seed: 3 }).filter((e) => e.tsMs >= at(1440));
  assertOk(merged(t1, today, ...fleetDays().slice(1)));
});

test('a burst of normal declines (51/05) at lunchtime is not a fault', () => {
  const declines = Array.from({ length: 12 }, (_, i) => txn({ terminal: 'T1', t: at(1440 + 240 + i * 2), rc: i % 2 ? '51' : '05' }));
  assertOk(merged(...fleetDays(), declines));
});

test('a handheld whose battery is low but charging is not a worn battery', () => {
  const events = withHeartbeat(merged(...fleetDays()), (e) => ({ ...e, battery: { level_pct: 7, charging: true, health_pct: 88 } }));
  assertOk(events);
});

test('a terminal in a hot region at noon with no failures is not overheating', () => {
  const events = merged(...fleetDays()).map((e) => (e.type === 'heartbeat' ? ({ ...e, env: { temp_c: 47 } } as unknown as PosEvent) : e));
  assertOk(events, NOW, reg('Haikou'));
});

test('a terminal that installed an update fine is healthy', () => {
  const steps = [
    update({ terminal: 'T1', t: at(1440 + 200), component: 'app', from: '3.2.0', to: '3.3.0', status: 'downloading', campaign: 'C1' }),
    update({ terminal: 'T1', t: at(1440 + 205), component: 'app', from: '3.2.0', to: '3.3.0', status: 'installed', campaign: 'C1' }),
    boot({ terminal: 'T1', t: at(1440 + 206), reason: 'update' }),
  ];
  assertOk(merged(...fleetDays(), steps));
});

test('a paper roll that ran out and was replaced is healthy', () => {
  const out = [heartbeat({ terminal: 'T1', t: at(1440 + 300) + 1000, printer: 'paper_out' })];
  assertOk(merged(...fleetDays(), out));
});

test('one reboot by the user is healthy', () => {
  assertOk(merged(...fleetDays(), [boot({ terminal: 'T1', t: at(1440 + 400), reason: 'user' })]));
});

test('Wi-Fi terminals at -70 dBm are not weak', () => {
  const events = merged(...fleetDays()).map((e) => (e.type === 'heartbeat' ? ({ ...e, net: { type: 'wifi', rssi_dbm: -70, host_rtt_ms: 60, dns_ok: true } } as unknown as PosEvent) : e));
  const oneTimeout = txn({ terminal: 'T1', t: at(1440 + 500), rc: null, timeout: true });
  assertOk(merged(events, [oneTimeout]));
});
