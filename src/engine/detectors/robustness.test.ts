// Held-out data is made differently from the samples: other vendors (hourly heartbeats, no
// self-tests, no battery, no operator), timestamps with offsets, shops that close before `at`
// with no day of history, subtler faults. These tests pin the detectors' behaviour there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateLine, type PosEvent } from '../../domain/index.ts';
import { at, diagnosisOf, engineWith, error, heartbeat, merged, random, registry, terminal, txn } from '../test-builders.ts';

interface Vendor {
  /** Minutes between heartbeats. */
  hbEvery: number;
  /** Sends reader self-tests, battery and operator fields. */
  rich: boolean;
}

/** A plain shop: heartbeats every `hbEvery` minutes, a transaction about every 6 minutes, from `open` to `close` (minutes from day 0). */
function shop(o: { terminal: string; from: number; to: number; vendor: Vendor; seed?: number; net?: Record<string, unknown> }): PosEvent[] {
  const rnd = random(o.seed ?? 3);
  const out: PosEvent[] = [];
  const { hbEvery, rich } = o.vendor;
  for (let m = o.from; m < o.to; m++) {
    if ((m - o.from) % hbEvery === 0) {
      out.push(heartbeat({
        terminal: o.terminal, t: at(m), net: o.net ?? { type: 'ethernet', host_rtt_ms: 50, dns_ok: true },
        ...(rich ? { reader: { chip: 'ok', contactless: 'ok', magstripe: 'ok' }, battery: { level_pct: 80, charging: true, health_pct: 96 } } : {}),
      }));
    }
    if (rnd() < 1 / 6) {
      const entry = rnd() < 0.6 ? 'chip' : 'contactless';
      const fields = { terminal: o.terminal, t: at(m) + 20_000, entry, rc: rnd() < 0.05 ? '51' : '00', stan: String(m), bin: rnd() < 0.5 ? '62284812' : '622848' };
      out.push(rich ? txn({ ...fields, operator: rnd() < 0.5 ? '01' : '02' }) : txn({ ...fields, operator: undefined }));
    }
  }
  return out;
}

const HOURLY: Vendor = { hbEvery: 60, rich: false };
const LIGHT: Vendor = { hbEvery: 5, rich: true };
const names = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);

test('an hourly-heartbeat vendor with no self-tests, battery or operators is healthy, also across a dropped heartbeat', () => {
  const reg = registry(['H1', 'H2', 'H3'].map((t) => terminal({ terminal: t })));
  const days = ['H1', 'H2', 'H3'].map((t, i) => shop({ terminal: t, from: 0, to: 2 * 1440, vendor: HOURLY, seed: i + 1 }));
  // H1: quiet till-side and a heartbeat lost: nothing at all between 30:00 and 32:00
  const h1 = days[0]!.filter((e) => e.tsMs < at(1800) || e.tsMs >= at(1920) || e.type !== 'heartbeat').filter((e) => e.tsMs < at(1800) || e.tsMs >= at(1920));
  const engine = engineWith(reg, merged(h1, days[1]!, days[2]!));
  for (const t of ['H1', 'H2', 'H3']) assert.equal(diagnosisOf(engine, t, at(1915)).status, 'ok', `${t} at 31:55`);
});

test('shops that close before `at` are not offline, even without a day of their own history', () => {
  const closing = names(20, 'C');
  const open24 = names(5, 'A');
  const reg = registry([...closing, ...open24].map((t) => terminal({ terminal: t })));
  const events = merged(
    ...closing.map((t, i) => shop({ terminal: t, from: 120, to: 600 + (i % 4) * 15, vendor: LIGHT, seed: i + 10 })),
    ...open24.map((t, i) => shop({ terminal: t, from: 120, to: 1000, vendor: LIGHT, seed: i + 50 })),
  );
  const engine = engineWith(reg, events);
  const report = engine.diagnose(at(990));
  const flagged = report.terminals.filter((t) => t.status !== 'ok').map((t) => `${t.terminal}:${t.diagnoses[0]?.cause}`);
  assert.deepEqual(flagged, []);
});

test('a terminal that dies while the rest of a young fleet keeps working is offline', () => {
  const fleet = names(24, 'F');
  const reg = registry([...fleet, 'D1'].map((t) => terminal({ terminal: t })));
  const events = merged(
    ...fleet.map((t, i) => shop({ terminal: t, from: 120, to: 800, vendor: LIGHT, seed: i + 10 })),
    shop({ terminal: 'D1', from: 120, to: 400, vendor: LIGHT, seed: 99 }),
  );
  const d = diagnosisOf(engineWith(reg, events), 'D1', at(795));
  assert.equal(d.diagnoses[0]?.cause, 'net.offline');
});

test('a subtle chip reader fault (15% of chip reads fail) is found; 1-2% misreads are not', () => {
  const reg = registry(['R1', 'R2', 'R3', 'R4'].map((t) => terminal({ terminal: t })));
  const base = ['R1', 'R2', 'R3', 'R4'].map((t, i) => shop({ terminal: t, from: 0, to: 2 * 1440, vendor: LIGHT, seed: i + 20 }));
  const rnd = random(5);
  const faults: PosEvent[] = [];
  for (const [k, list] of base.entries()) {
    for (const e of list) {
      if (e.type !== 'txn' || (e as { entry?: string }).entry !== 'chip') continue;
      const rate = k === 0 && e.tsMs >= at(1440 + 300) ? 0.15 : 0.015;
      if (rnd() < rate) faults.push(error({ terminal: e.terminal, t: e.tsMs - 5000, code: 'CARD_READ_FAIL', entry: 'chip' }));
    }
  }
  const engine = engineWith(reg, merged(...base, faults));
  assert.equal(diagnosisOf(engine, 'R1', at(2 * 1440 - 10)).diagnoses[0]?.cause, 'hw.chip_reader');
  for (const t of ['R2', 'R3', 'R4']) assert.equal(diagnosisOf(engine, t, at(2 * 1440 - 10)).status, 'ok', t);
});

test('a weak signal of -100 dBm with only a few timeouts is net.weak_signal; a normal -85 dBm with one timeout is ok', () => {
  const reg = registry(['W1', 'W2'].map((t) => terminal({ terminal: t })));
  const weak = shop({ terminal: 'W1', from: 0, to: 1440, vendor: LIGHT, seed: 1, net: { type: '4g', carrier: 'CBN', rssi_dbm: -100, host_rtt_ms: 300, dns_ok: true } });
  const fine = shop({ terminal: 'W2', from: 0, to: 1440, vendor: LIGHT, seed: 2, net: { type: '5g', carrier: 'CBN', rssi_dbm: -85, host_rtt_ms: 90, dns_ok: true } });
  const trouble = [1200, 1260, 1330].map((m) => txn({ terminal: 'W1', t: at(m), rc: null, timeout: true }));
  const oneOff = txn({ terminal: 'W2', t: at(1300), rc: null, timeout: true });
  const engine = engineWith(reg, merged(weak, fine, trouble, [oneOff]));
  assert.equal(diagnosisOf(engine, 'W1', at(1430)).diagnoses[0]?.cause, 'net.weak_signal');
  assert.equal(diagnosisOf(engine, 'W2', at(1430)).status, 'ok');
});

test('timestamps with offsets and fractions give the same diagnosis as the same instants in UTC', () => {
  const reg = registry(['Z1', 'Z2', 'Z3'].map((t) => terminal({ terminal: t })));
  const events = merged(...['Z1', 'Z2', 'Z3'].map((t, i) => shop({ terminal: t, from: 0, to: 1440, vendor: LIGHT, seed: i + 1 })));
  for (let m = 900; m < 1435; m += 15) events.push(error({ terminal: 'Z1', t: at(m), code: 'APP_CRASH', app: 'pay@1.0.0' }));
  events.sort((a, b) => a.tsMs - b.tsMs);
  const local = events.map((e) => {
    const d = new Date(e.tsMs + 8 * 3_600_000);
    const ts = `${d.toISOString().slice(0, 19)}.${String(e.tsMs % 1000).padStart(3, '0')}250+08:00`;
    const { tsMs: _drop, ...rest } = e as PosEvent & { tsMs: number };
    const v = validateLine(JSON.stringify({ ...rest, ts }));
    assert.ok(v.ok, v.ok ? '' : v.error);
    return v.event;
  });
  const a = engineWith(reg, events).diagnose(at(1439));
  const b = engineWith(reg, local).diagnose(at(1439));
  assert.equal(a.terminals.find((t) => t.terminal === 'Z1')?.diagnoses[0]?.cause, 'sw.crash_loop');
  assert.deepEqual(b, a);
});
