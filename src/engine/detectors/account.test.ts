import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diagnosisOf, engineWith, heartbeat, merged, registry, shopDays, terminal, txn } from '../test-builders.ts';

const reg = registry([terminal({ terminal: 'T1' }), terminal({ terminal: 'T2' })]);
const day = (t: string, seed: number) => shopDays({ terminal: t, days: 2, open: 60, close: 780, seed, operators: ['01', '02', '03'] });
const NOW = at(1440 + 780);

test('diagnose() treats normal cardholder declines (51, 05, 54, 57, 62, 41, 43) as no fault', () => {
  const declines = ['51', '05', '54', '57', '62', '41', '43', '51', '05', '51'].map((rc, i) => txn({ terminal: 'T1', t: at(1440 + 400 + i * 10), rc }));
  assert.equal(diagnosisOf(engineWith(reg, merged(day('T1', 1), declines)), 'T1', NOW).status, 'ok');
});

test('diagnose() reports acct.merchant_setup when most transactions answer 03/58', () => {
  const bad = Array.from({ length: 30 }, (_, i) => txn({ terminal: 'T1', t: at(1440 + 480 + i * 10), rc: i % 3 ? '03' : '58' }));
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1).filter((e) => e.tsMs < at(1440 + 480) || e.type !== 'txn'), bad)), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'acct.merchant_setup');
});

test('diagnose() reports op.input_error when 12/13/14 concentrate on one operator', () => {
  const bad = ['13', '14', '12', '13', '55', '14', '13', '12'].map((rc, i) => txn({ terminal: 'T1', t: at(1440 + 300 + i * 30), rc, operator: '02' }));
  const d = diagnosisOf(engineWith(reg, merged(day('T1', 1), bad)), 'T1', NOW);
  assert.equal(d.diagnoses[0]?.cause, 'op.input_error');
  assert.match(d.diagnoses[0]!.evidence[0]!, /operator 02/);
});

test('diagnose() holds acct.merchant_setup overnight while the terminal sends only heartbeats, and clears it when sales go through again', () => {
  // 03/58 from 08:00 to 13:00 UTC on day 2; the terminal stays on all night (heartbeats, no sales)
  const bad = Array.from({ length: 30 }, (_, i) => txn({ terminal: 'T1', t: at(1440 + 480 + i * 10), rc: i % 3 ? '03' : '58' }));
  const shop = day('T1', 1).filter((e) => e.tsMs < at(1440 + 480) || e.type !== 'txn');
  const night = Array.from({ length: 240 }, (_, i) => heartbeat({ terminal: 'T1', t: at(1440 + 780 + i * 5) }));
  const engine = engineWith(reg, merged(shop, bad, night, day('T2', 2)));
  assert.equal(diagnosisOf(engine, 'T1', at(2 * 1440 + 300)).diagnoses[0]?.cause, 'acct.merchant_setup'); // 11 h later, no sale since
  const mended = Array.from({ length: 20 }, (_, i) => txn({ terminal: 'T1', t: at(2 * 1440 + 310 + i * 6) }));
  const after = engineWith(reg, merged(shop, bad, night, mended, day('T2', 2)));
  assert.equal(diagnosisOf(after, 'T1', at(2 * 1440 + 440)).status, 'ok');
});

test('diagnose() reports acct.limit_exceeded only on the business day (China time) of the refusals', () => {
  // 61/65 from 10:00 to 13:20 UTC (18:00-21:20 China time) on day 2
  const refused = Array.from({ length: 20 }, (_, i) => txn({ terminal: 'T1', t: at(1440 + 600 + i * 10), rc: i % 2 ? '61' : '65' }));
  const engine = engineWith(reg, merged(day('T1', 1), refused, day('T2', 2)));
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 810)).diagnoses[0]?.cause, 'acct.limit_exceeded'); // 21:30 China time
  assert.equal(diagnosisOf(engine, 'T1', at(1440 + 965)).status, 'ok'); // 00:05 the next day: a new day's limit
});
