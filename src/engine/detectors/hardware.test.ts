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

/**
 * A quiet shop (T4) that takes few chip cards: heartbeats over both days' opening hours, a QR
 * payment every 20 minutes, and chip reads only in `chip` ([minute since T0, failed, operator]);
 * the rest of the fleet (T2, T3, T5, T6) reads chip cards all day with ~1% misreads. A failed
 * read is followed by a fallback swipe, except a retry ('retry': the same card tried again).
 * `humid` gives minutes whose heartbeats read 92% humidity.
 */
type ChipRead = [number, boolean | 'retry', string];
function quietShop(chip: ChipRead[], humid: [number, number] = [0, 0]): ReturnType<typeof engineWith> {
  const events = [];
  for (const day of [0, 1440]) {
    for (let m = day + 60; m <= day + 780; m += 5) {
      const hum = m >= humid[0] && m < humid[1] ? 92 : 50;
      events.push(heartbeat({ terminal: 'T4', t: at(m), env: { temp_c: 30, humidity_pct: hum }, reader: { chip: 'ok', contactless: 'ok', magstripe: 'ok' } }));
      if (m % 20 === 0) events.push(txn({ terminal: 'T4', t: at(m) + 60_000, entry: 'qr', operator: '01' }));
    }
  }
  for (const [m, failed, operator] of chip) {
    if (failed) events.push(error({ terminal: 'T4', t: at(m), code: 'CARD_READ_FAIL', entry: 'chip', operator }));
    if (failed !== 'retry') events.push(txn({ terminal: 'T4', t: at(m) + 30_000, entry: failed ? 'fallback' : 'chip', operator }));
  }
  const others = ['T2', 'T3', 'T5', 'T6'];
  const reg = registry([...others, 'T4'].map((t) => terminal({ terminal: t })));
  return engineWith(reg, merged(...others.map((t, i) => healthy(t, i + 2)), events));
}

/** Five chip failures by four cashiers against three good chip reads, in the afternoon of day 1 (the day before NOW). */
const YESTERDAY: ChipRead[] = [[600, true, '01'], [622, false, '02'], [640, true, '02'], [661, true, '03'], [678, false, '01'], [695, true, '04'], [712, false, '03'], [720, true, '01']];

test('a reader that failed most of a quiet shop\'s few chip reads yesterday is hw.chip_reader today, before its next chip card (the decayed counts are read as they stood at the latest failure)', () => {
  const d = diagnosisOf(quietShop(YESTERDAY), 'T4', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'hw.chip_reader');
  assert.match(d.diagnoses[0]!.evidence.join(' '), /5 chip read failures in \d+(\.\d)? reads up to the latest failure: a chance of \d\.\de-\d+ at the fleet's rate/);
});

test('a few misreads among a quiet shop\'s chip reads are not a reader fault: one card failing three times, or two failures in four reads', () => {
  const oneCard: ChipRead[] = [[600, false, '01'], [660, 'retry', '02'], [661, 'retry', '02'], [662, true, '02'], [700, false, '01'], [720, false, '01']];
  assert.equal(diagnosisOf(quietShop(oneCard), 'T4', NOW).diagnoses.length, 0);
  const twoOfFour: ChipRead[] = [[600, true, '01'], [640, false, '02'], [680, true, '02'], [720, false, '01']];
  assert.equal(diagnosisOf(quietShop(twoOfFour), 'T4', NOW).diagnoses.length, 0);
});

test('chip failures on a damp afternoon are not a reader fault the next day, when the damp has left the last hours but not the day', () => {
  const d = diagnosisOf(quietShop(YESTERDAY, [560, 740]), 'T4', NOW);
  assert.notEqual(d.diagnoses[0]?.cause, 'hw.chip_reader');
});

test('a reader that failed a quiet shop\'s chip cards yesterday but has read every one of the last hours\' cards is not reported from the old failures', () => {
  const bad: ChipRead[] = [[600, true, '01'], [615, true, '02'], [630, true, '03'], [650, false, '01'], [665, true, '02'], [680, true, '04'], [700, true, '03'], [720, true, '01']];
  assert.equal(diagnosisOf(quietShop(bad), 'T4', NOW).diagnoses[0]?.cause, 'hw.chip_reader');
  const works: ChipRead[] = [...bad, ...[660, 680, 700, 720, 740, 760].map((m, i): ChipRead => [1440 + m, false, ['01', '02', '03'][i % 3]!])];
  assert.notEqual(diagnosisOf(quietShop(works), 'T4', NOW).diagnoses[0]?.cause, 'hw.chip_reader');
});

test('while the fleet has read only a handful of chip cards (no misread among them yet), four failures in five reads are not judged against a rate of zero', () => {
  const events = [];
  for (let m = 1440 + 60; m <= 1440 + 780; m += 5) for (const t of ['T2', 'T4']) events.push(heartbeat({ terminal: t, t: at(m), reader: { chip: 'ok', contactless: 'ok', magstripe: 'ok' } }));
  for (let i = 0; i < 6; i++) events.push(txn({ terminal: 'T2', t: at(1440 + 100 + i * 90), entry: 'chip', operator: '01' }));
  for (const [m, failed, operator] of [[240, true, '01'], [260, true, '02'], [280, false, '01'], [300, true, '03'], [320, true, '02']] as const) {
    if (failed) events.push(error({ terminal: 'T4', t: at(1440 + m), code: 'CARD_READ_FAIL', entry: 'chip', operator }));
    events.push(txn({ terminal: 'T4', t: at(1440 + m) + 30_000, entry: failed ? 'fallback' : 'chip', operator }));
  }
  const engine = engineWith(registry([terminal({ terminal: 'T2' }), terminal({ terminal: 'T4' })]), merged(events));
  assert.notEqual(diagnosisOf(engine, 'T4', NOW).diagnoses[0]?.cause, 'hw.chip_reader');
});
