import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, diagnosisOf, engineWith, merged, registry, shopDays, terminal, txn } from '../test-builders.ts';

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
