import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PosEvent } from '../domain/index.ts';
import { createEngine } from './engine.ts';
import { engineView } from './event.fields.ts';
import { at, boot, engineWith, error, heartbeat, merged, registry, shopDays, terminal, txn } from './test-builders.ts';

const TERMINALS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'];
const reg = registry(TERMINALS.map((t) => terminal({ terminal: t })));
const NOW = at(1440 + 780);

/** Two shop days of six terminals: a chip reader fault, a crash loop, paper out, one offline, two healthy. */
function fleetEvents(): PosEvent[] {
  const days = TERMINALS.map((t, i) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed: i + 1 }));
  const faults: PosEvent[] = [];
  for (let i = 0; i < 16; i++) {
    const t = at(1440 + 400 + i * 20);
    faults.push(error({ terminal: 'T1', t, code: 'CARD_READ_FAIL', entry: 'chip', operator: i % 2 ? '01' : '02' }));
    faults.push(txn({ terminal: 'T1', t: t + 30_000, entry: 'fallback' }));
    faults.push(error({ terminal: 'T2', t, code: 'APP_CRASH', app: 'pay@3.2.0' }));
    if (i % 3 === 0) faults.push(boot({ terminal: 'T2', t: t + 60_000, reason: 'crash' }));
  }
  faults.push(heartbeat({ terminal: 'T3', t: at(1440 + 779), printer: 'paper_out' })); // after its last ok heartbeat
  const t4 = days[3]!.filter((e) => e.tsMs < at(1440 + 300));
  return merged(days[0]!, days[1]!, days[2]!, t4, days[4]!, days[5]!, faults);
}

test('snapshot → JSON → restore in the middle of the feed gives the same diagnosis as one engine that saw everything', () => {
  const events = fleetEvents();
  const whole = createEngine({ registry: reg });
  for (const e of events) whole.observe(e);
  const expected = whole.diagnose(NOW);
  assert.deepEqual(expected.terminals.map((t) => t.diagnoses[0]?.cause ?? 'ok'), ['hw.chip_reader', 'sw.crash_loop', 'hw.printer_paper', 'net.offline', 'ok', 'ok']);

  for (const share of [0.3, 0.5, 0.9]) {
    const cut = Math.floor(events.length * share);
    const first = createEngine({ registry: reg });
    for (const e of events.slice(0, cut)) first.observe(e);
    const restored = createEngine({ registry: reg, snapshot: JSON.parse(JSON.stringify(first.snapshot())) });
    for (const e of events.slice(cut)) restored.observe(e);
    assert.deepEqual(restored.diagnose(NOW), expected, `cut at ${share}`);
  }
});

test('feeding in many small batches with changes() between gives the same diagnose(at) as feeding in one go', () => {
  const events = fleetEvents();
  const once = createEngine({ registry: reg });
  for (const e of events) once.observe(e);
  const live = createEngine({ registry: reg });
  let opened = 0;
  for (let i = 0; i < events.length; i += 37) {
    const batch = events.slice(i, i + 37);
    for (const e of batch) live.observe(e);
    opened += live.changes(batch.at(-1)!.tsMs).filter((c) => c.kind === 'opened').length;
  }
  assert.ok(opened >= 4, `live mode opened ${opened} diagnoses on the way`);
  assert.deepEqual(live.diagnose(NOW), once.diagnose(NOW));
});

test('the engine reads nothing outside engineView(): diagnosing views equals diagnosing whole events', () => {
  const events = fleetEvents();
  const whole = createEngine({ registry: reg });
  const views = createEngine({ registry: reg });
  for (const e of events) {
    whole.observe(e);
    views.observe(JSON.parse(JSON.stringify(engineView(e))) as PosEvent);
  }
  assert.deepEqual(views.diagnose(NOW), whole.diagnose(NOW));
});

/** 32 cellular terminals open all day; CUCC in Hangzhou loses the network an hour before NOW and
 * cards of BIN 62266x get 91 for the last 40 minutes on the terminals that still work. */
function incidentFleet() {
  const terminals = ['Hangzhou', 'Wuhan'].flatMap((region) => ['CUCC', 'CMCC'].flatMap((carrier) =>
    Array.from({ length: 8 }, (_, i) => terminal({ terminal: `T-${region}-${carrier}-${i}`, region, carrier }))));
  const now = at(1380);
  const events: PosEvent[] = [];
  terminals.forEach((t, k) => {
    const outage = t.region === 'Hangzhou' && t.carrier === 'CUCC';
    const end = outage ? now - 60 * 60_000 + k * 5_000 : now;
    for (let m = 0; at(m) + k * 7_000 < end; m += 5) {
      const ts = at(m) + k * 7_000;
      events.push(heartbeat({ terminal: t.terminal, t: ts, net: { type: '4g', carrier: t.carrier, rssi_dbm: -70, host_rtt_ms: 60, dns_ok: true } }));
      if (m % 10 !== 0) continue;
      const failing = (m / 10 + k) % 3 === 0;
      const rc = failing && ts > now - 40 * 60_000 ? '91' : '00';
      events.push(txn({ terminal: t.terminal, t: ts + 60_000, rc, bin: failing ? '622660' : '622848' }));
    }
  });
  return { reg: registry(terminals), now, events: merged(events) };
}

test('snapshot → JSON → restore keeps the fleet incidents: a carrier outage and an issuer down survive a restart late in the feed', () => {
  const { reg, now, events } = incidentFleet();
  const expected = engineWith(reg, events).diagnose(now);
  assert.deepEqual(expected.incidents.map((i) => [i.cause, i.scope['carrier'] ?? i.scope['bin']]), [['provider.issuer_down', '62266'], ['net.carrier_outage', 'CUCC']]);
  assert.equal(expected.incidents[1]?.terminals.length, 8);
  assert.ok((expected.incidents[0]?.terminals.length ?? 0) >= 8);
  for (const share of [0.5, 0.9, 0.98]) {
    const cut = Math.floor(events.length * share);
    const first = engineWith(reg, events.slice(0, cut));
    const restored = createEngine({ registry: reg, snapshot: JSON.parse(JSON.stringify(first.snapshot())) });
    for (const e of events.slice(cut)) restored.observe(e);
    assert.deepEqual(restored.diagnose(now), expected, `cut at ${share}`);
  }
  // A snapshot written before the correlator's state was kept still restores (incidents come back with new events).
  const old = JSON.parse(JSON.stringify(engineWith(reg, events.slice(0, 100)).snapshot())) as Record<string, unknown>;
  delete old['correlator'];
  const fromOld = createEngine({ registry: reg, snapshot: old });
  for (const e of events.slice(100)) fromOld.observe(e);
  assert.deepEqual(fromOld.diagnose(now).terminals.map((t) => t.diagnoses[0]?.cause ?? 'ok'), expected.terminals.map((t) => t.diagnoses[0]?.cause ?? 'ok'));
});
