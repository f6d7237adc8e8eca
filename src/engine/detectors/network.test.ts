import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diagnosisOf, engineWith, heartbeat, merged, registry, shopDays, terminal, txn } from '../test-builders.ts';

const reg = registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' }), terminal({ terminal: 'T3' }), terminal({ terminal: 'T4', sim_expires: '2026-06-04' })]);
const day = (t: string, seed: number, days = 2, close = 780) => shopDays({ terminal: t, days, open: 60, close, seed });
const allDay = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 0, close: 1440, seed });

test('diagnose() does not call a shop closed at night offline', () => {
  const engine = engineWith(reg, merged(day('T1', 1), allDay('T2', 2), allDay('T3', 3)));
  // 22:00 UTC on day 2: T1's shop closed at 13:00, as it did the day before
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 1320)).status, 'ok');
});

test('diagnose() reports net.offline when a terminal is silent in hours it was active the day before', () => {
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(1440 + 300));
  const engine = engineWith(reg, merged(t1, allDay('T2', 2), allDay('T3', 3)));
  const d = diagnosisOf(engine, 'T1', at(1440 + 700));
  assert.equal(d.status, 'offline');
  assert.equal(d.diagnoses[0]?.cause, 'net.offline');
  assert.match(d.diagnoses[0]!.evidence[0]!, /no events for 6\.\d h/);
});

test('diagnose() reports contract.expired for a terminal silent since its SIM plan ran out', () => {
  // sim_expires 2026-06-04: valid through that day, stops at 2026-06-05 00:00 China time = 2026-06-04T16:00Z; the terminal stops then
  const t4 = allDay('T4', 4).filter((e) => e.tsMs < at(16 * 60));
  const engine = engineWith(reg, merged(t4, allDay('T2', 2), allDay('T3', 3)));
  const d = diagnosisOf(engine, 'T4', at(1440 + 600));
  assert.equal(d.diagnoses[0]?.cause, 'contract.expired');
  assert.equal(d.diagnoses[0]?.since, '2026-06-04T16:00:00.000Z');
});

test('diagnose() reports net.config when DNS fails on every heartbeat while the signal hovers about -95 dBm', () => {
  let k = 0;
  const hovering = day('T1', 1).map((e) => e.type === 'heartbeat' && e.tsMs >= at(1440 + 480)
    ? { ...e, net: { type: '4g', carrier: 'CMCC', rssi_dbm: k++ % 2 === 0 ? -94 : -96, dns_ok: false } } as typeof e : e);
  const last = hovering.filter((e) => e.type === 'heartbeat').at(-1) as unknown as { net: { rssi_dbm: number } };
  assert.equal(last.net.rssi_dbm, -96); // the latest reading alone would say "not a good signal"
  const d = diagnosisOf(engineWith(reg, merged(hovering, day('T2', 2), day('T3', 3))), 'T1', at(1440 + 779));
  assert.equal(d.diagnoses[0]?.cause, 'net.config');
});

test('diagnose() reports net.offline for a registered terminal never heard from in more than a day of feed', () => {
  const ids = Array.from({ length: 20 }, (_, i) => `F${String(i).padStart(2, '0')}`);
  const fleetReg = registry([...ids.map((t) => terminal({ terminal: t })), terminal({ terminal: 'TX' }), terminal({ terminal: 'TN', installed: '2026-06-04' })]);
  const engine = engineWith(fleetReg, merged(...ids.map((t, i) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed: 10 + i }))));
  const d = diagnosisOf(engine, 'TX', at(1440 + 700));
  assert.equal(d.diagnoses[0]?.cause, 'net.offline');
  assert.match(d.diagnoses[0]!.evidence[0]!, /no events at all since the feed began/);
  assert.equal(diagnosisOf(engine, 'TN', at(1440 + 700)).status, 'ok'); // installed while the feed ran
  assert.equal(diagnosisOf(engine, 'TX', at(1440 + 60)).status, 'ok'); // a day of feed: its shop may just be closed
});

test('diagnose() reports net.offline for a terminal silent a whole day its shop\'s other terminal worked, even after closing', () => {
  const shop = registry([terminal({ terminal: 'T1', merchant: 'MS' }), terminal({ terminal: 'T2', merchant: 'MS' }), terminal({ terminal: 'T3' })]);
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(300));
  const engine = engineWith(shop, merged(t1, day('T2', 2), allDay('T3', 3)));
  const d = diagnosisOf(engine, 'T1', at(1440 + 1000)); // both shop terminals quiet now: the shop has closed
  assert.equal(d.diagnoses[0]?.cause, 'net.offline');
  assert.equal(diagnosisOf(engine, 'T2', at(1440 + 1000)).status, 'ok');
});

test('diagnose() reports net.offline for a terminal that went quiet hours before its shop\'s other terminal did', () => {
  const shop = registry([terminal({ terminal: 'T1', merchant: 'MS' }), terminal({ terminal: 'T2', merchant: 'MS' }), terminal({ terminal: 'T3' })]);
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(1440 + 400));
  const engine = engineWith(shop, merged(t1, day('T2', 2), allDay('T3', 3)));
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 1000)).diagnoses[0]?.cause, 'net.offline'); // T2 worked 6 h on
  const t1early = day('T1', 1).filter((e) => e.tsMs < at(1440 + 700));
  assert.equal(diagnosisOf(engineWith(shop, merged(t1early, day('T2', 2), allDay('T3', 3))), 'T1', at(1440 + 1000)).status, 'ok'); // 80 min early
});

test('diagnose() reports net.offline after two missed heartbeats in the middle of the business day', () => {
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(1440 + 300));
  const engine = engineWith(reg, merged(t1, allDay('T2', 2), allDay('T3', 3)));
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 305)).status, 'ok'); // one heartbeat late: not yet
  const d = diagnosisOf(engine, 'T1', at(1440 + 313));
  assert.equal(d.diagnoses[0]?.cause, 'net.offline');
  assert.match(d.diagnoses[0]!.evidence.join(' '), /active in \d+ of the same \d+ hours the day before/);
});

test('diagnose() waits when a short silence comes within two hours of the closing time of the day before', () => {
  // closes at 13:00 both days; quiet from 11:30 on day 2 — maybe closing early today
  const t1 = day('T1', 1).filter((e) => e.tsMs < at(1440 + 690));
  const engine = engineWith(reg, merged(t1, allDay('T2', 2), allDay('T3', 3)));
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 710)).status, 'ok');
});

test('diagnose() does not call a whole shop going quiet together offline after a few minutes', () => {
  const shop = registry([terminal({ terminal: 'T1', merchant: 'MS' }), terminal({ terminal: 'T2', merchant: 'MS' }), terminal({ terminal: 'T3' })]);
  const cut = (t: string, seed: number) => day(t, seed).filter((e) => e.tsMs < at(1440 + 300));
  const engine = engineWith(shop, merged(cut('T1', 1), cut('T2', 2), allDay('T3', 3)));
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 315)).status, 'ok');
  assert.equal(diagnosisOf(engine, 'T2', at(1440 + 315)).status, 'ok');
});

test('diagnose() reports contract.expired a couple of heartbeats after a SIM plan runs out under a working terminal', () => {
  // sim_expires 2026-06-04: valid through that day, stops at 2026-06-05 00:00 China time = 2026-06-04T16:00Z; T4 works around the clock and stops then
  const t4 = allDay('T4', 4).filter((e) => e.tsMs < at(16 * 60));
  const engine = engineWith(reg, merged(t4, allDay('T2', 2), allDay('T3', 3)));
  assert.equal(diagnosisOf(engine, 'T4', at(16 * 60 + 5)).status, 'ok');
  assert.equal(diagnosisOf(engine, 'T4', at(16 * 60 + 15)).diagnoses[0]?.cause, 'contract.expired');
});

test('diagnose() reports net.config on the third heartbeat with DNS failing (a good signal), not on the second', () => {
  const from = at(1440 + 480);
  const t1 = day('T1', 1).map((e) => e.type === 'heartbeat' && e.tsMs >= from
    ? { ...e, net: { type: '4g', carrier: 'CMCC', rssi_dbm: -70, dns_ok: false } } as typeof e : e);
  const bad = t1.filter((e) => e.type === 'heartbeat' && e.tsMs >= from).map((e) => e.tsMs);
  assert.ok(bad[2]! - bad[0]! <= 12 * 60_000, 'three heartbeats about 5 minutes apart');
  const upTo = (t: number) => engineWith(reg, merged(t1, day('T2', 2), day('T3', 3)).filter((e) => e.tsMs <= t));
  assert.equal(diagnosisOf(upTo(bad[1]!), 'T1', bad[1]! + 60_000).status, 'ok');
  assert.equal(diagnosisOf(upTo(bad[2]!), 'T1', bad[2]! + 60_000).diagnoses[0]?.cause, 'net.config');
});

test('diagnose() reports net.weak_signal when a wifi signal falls far and timeouts follow, before the hours\' mean catches up; the fall alone is not', () => {
  const ids = Array.from({ length: 12 }, (_, i) => `W${i}`);
  const fleetReg = registry(ids.map((t) => terminal({ terminal: t })));
  const FALL = at(1440 + 480);
  const wifi = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed }).map((e) => e.type === 'heartbeat'
    ? { ...e, net: { type: 'wifi', rssi_dbm: t === 'W0' && e.tsMs >= FALL ? -85 : -48 - (e.tsMs / 300_000) % 5, host_rtt_ms: 60, dns_ok: true } } as typeof e : e);
  const fleet = merged(...ids.map((t, i) => wifi(t, i + 1)));
  const bad = fleet.filter((e) => e.terminal === 'W0' && e.type === 'heartbeat' && e.tsMs >= FALL).map((e) => e.tsMs);
  const timeouts = [txn({ terminal: 'W0', t: at(1440 + 481), timeout: true, rc: null, latency_ms: 60000 }), txn({ terminal: 'W0', t: at(1440 + 484), timeout: true, rc: null, latency_ms: 60000 })];
  const when = bad[1]! + 60_000;
  const withTrouble = engineWith(fleetReg, merged(fleet, timeouts).filter((e) => e.tsMs <= when));
  const d = diagnosisOf(withTrouble, 'W0', when);
  assert.equal(d.diagnoses[0]?.cause, 'net.weak_signal', JSON.stringify(d.diagnoses));
  assert.match(d.diagnoses[0]!.evidence.join(' '), /latest reading -85 dBm/);
  assert.equal(diagnosisOf(engineWith(fleetReg, fleet.filter((e) => e.tsMs <= when)), 'W0', when).status, 'ok');
});

test('diagnose() with no day of history: closed since the evening is not offline until nearly every shop that closed then has opened again', () => {
  // the feed begins at 12:00 UTC (20:00 China time); 60 one-terminal shops and shop MS close at
  // 14:00; MS's second terminal T2 stays on all night (heartbeats only)
  const shops = Array.from({ length: 60 }, (_, i) => `F${String(i).padStart(2, '0')}`);
  const fleet = registry([...shops.map((t) => terminal({ terminal: t })), terminal({ terminal: 'T1', merchant: 'MS' }), terminal({ terminal: 'T2', merchant: 'MS' }), terminal({ terminal: 'FX' })]);
  const evening = (t: string, seed: number) => shopDays({ terminal: t, days: 1, open: 720, close: 840, seed });
  const morning = (t: string, open: number, seed: number) => shopDays({ terminal: t, days: 2, open, close: 840, seed }).filter((e) => e.tsMs >= at(1440));
  const alwaysOn = Array.from({ length: (1440 + 400 - 720) / 5 }, (_, k) => heartbeat({ terminal: 'T2', t: at(720 + k * 5) }));
  // 56 shops open at 01:00-01:28 UTC, four and T1 at 03:00, FX not at all
  const events = merged(
    ...shops.map((t, i) => evening(t, 10 + i)), evening('T1', 1), evening('FX', 2), alwaysOn,
    ...shops.map((t, i) => morning(t, i < 56 ? 60 + (i >> 1) : 180, 10 + i)), morning('T1', 180, 1),
  );
  const upTo = (now: number) => engineWith(fleet, events.filter((e) => e.tsMs <= now));
  // 09:40 China time: 56 of the 62 that closed together have opened (the 6 still closed are under a tenth of the fleet)
  const early = at(1440 + 100);
  const before = upTo(early);
  assert.equal(diagnosisOf(before, 'T1', early).status, 'ok', 'its shop\'s always-on terminal does not make it late');
  assert.equal(diagnosisOf(before, 'F59', early).status, 'ok', 'a shop that opens later than most');
  const late = at(1440 + 300); // 13:00 China time: every other shop is open
  const after = upTo(late);
  assert.equal(diagnosisOf(after, 'FX', late).diagnoses[0]?.cause, 'net.offline');
  assert.equal(diagnosisOf(after, 'F59', late).status, 'ok');
});
