import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diagnosisOf, engineWith, error, heartbeat, merged, registry, report, shopDays, terminal, txn } from '../test-builders.ts';

const reg = registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' }), terminal({ terminal: 'T3' })]);
const healthy = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed });
const NOW = at(1440 + 780);

test('diagnose() keeps a noisy healthy terminal ok (normal declines, rare misreads)', () => {
  const engine = engineWith(reg, merged(healthy('T1', 1), healthy('T2', 2), healthy('T3', 3)));
  for (const t of ['T1', 'T2', 'T3']) assert.deepEqual(diagnosisOf(engine, t, NOW), { terminal: t, status: 'ok', diagnoses: [] });
});

test('diagnose() reports hw.chip_reader when chip failures span every operator', () => {
  const faults = [];
  for (let i = 0; i < 16; i++) {
    const t = at(1440 + 400 + i * 20);
    faults.push(error({ terminal: 'T1', t, code: 'CARD_READ_FAIL', entry: 'chip', operator: i % 2 ? '01' : '02' }));
    faults.push(txn({ terminal: 'T1', t: t + 30_000, entry: 'fallback', operator: i % 2 ? '01' : '02' }));
  }
  const engine = engineWith(reg, merged(healthy('T1', 1), healthy('T2', 2), faults));
  const d = diagnosisOf(engine, 'T1', NOW);
  assert.equal(d.status, 'faulty');
  assert.equal(d.diagnoses[0]?.cause, 'hw.chip_reader');
  assert.match(d.diagnoses[0]!.evidence[0]!, /chip read failures \d+(\.\d)?% \(fleet \d+(\.\d)?%\)/);
  assert.ok(d.diagnoses[0]!.remedy.length > 0 && d.diagnoses[0]!.remedy_zh!.length > 0);
});

test('diagnose() blames one cashier (op.card_handling) when read failures come from one operator only', () => {
  const faults = [];
  for (let i = 0; i < 14; i++) {
    faults.push(error({ terminal: 'T1', t: at(1440 + 300 + i * 25), code: 'CARD_READ_FAIL', entry: i % 2 ? 'chip' : 'contactless', operator: '03' }));
    faults.push(txn({ terminal: 'T1', t: at(1440 + 301 + i * 25), entry: 'qr', operator: '03' }));
  }
  const engine = engineWith(reg, merged(healthy('T1', 1), faults));
  const d = diagnosisOf(engine, 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'op.card_handling');
  assert.match(d.diagnoses[0]!.evidence[0]!, /operator 03/);
});

test('diagnose() reports out of paper, and clears it once the roll is replaced', () => {
  const out = [heartbeat({ terminal: 'T1', t: at(1440 + 500), printer: 'paper_out' }), error({ terminal: 'T1', t: at(1440 + 501), code: 'PRINTER_ERROR' })];
  const events = merged(healthy('T1', 1).filter((e) => e.tsMs < at(1440 + 500)), out);
  const paperOut = diagnosisOf(engineWith(reg, events), 'T1', at(1440 + 520));
  assert.equal(paperOut.diagnoses[0]?.cause, 'hw.printer_paper');
  assert.equal(paperOut.status, 'degraded');
  const replaced = diagnosisOf(engineWith(reg, merged(healthy('T1', 1), out)), 'T1', NOW);
  assert.equal(replaced.status, 'ok');
});

test('diagnose() reports hw.screen for a screen_blank report while heartbeats still come', () => {
  const engine = engineWith(reg, merged(healthy('T1', 1), [report({ terminal: 'T1', t: at(1440 + 600), symptom: 'screen_blank' })]));
  assert.equal(diagnosisOf(engine, 'T1', NOW).diagnoses[0]?.cause, 'hw.screen');
});

test('diagnose() reports hw.power when a wont_power_on report is followed by silence', () => {
  const events = merged(healthy('T1', 1).filter((e) => e.tsMs < at(1440 + 300)), healthy('T2', 2), [report({ terminal: 'T1', t: at(1440 + 301), symptom: 'wont_power_on' })]);
  const d = diagnosisOf(engineWith(reg, events), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'hw.power');
  assert.equal(d.status, 'offline');
});

test('diagnose() locks a terminal whose tamper switch tripped', () => {
  const engine = engineWith(reg, merged(healthy('T1', 1), [heartbeat({ terminal: 'T1', t: at(1440 + 700), tamper: true })]));
  const d = diagnosisOf(engine, 'T1', NOW);
  assert.equal(d.status, 'locked');
  assert.equal(d.diagnoses[0]?.cause, 'sec.tamper');
});
