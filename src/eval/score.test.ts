import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binAgrees, jaccard, score, scopeAgrees, type Truth } from './score.ts';

const truth: Truth = {
  terminals: { A: 'ok', B: 'hw.chip_reader', C: 'net.carrier_outage', D: 'net.carrier_outage', E: 'ok', F: 'provider.issuer_down' },
  incidents: [
    { cause: 'net.carrier_outage', scope: { carrier: 'CTCC', region: 'Chengdu' }, terminals: ['C', 'D'] },
    { cause: 'provider.issuer_down', scope: { bin: '62266', bins: ['622660', '622661', '622662'] }, terminals: ['F'] },
  ],
};
const t = (terminal: string, cause?: string, status = cause ? 'faulty' : 'ok') => ({ terminal, status, diagnoses: cause ? [{ cause, confidence: 0.9 }] : [] });

test('score() counts top-1 accuracy, fpr, missing terminals as ok, and matches incidents', () => {
  const out = {
    terminals: [t('A'), t('B', 'hw.chip_reader'), t('C', 'net.carrier_outage'), t('D', 'net.offline'), t('E', undefined, 'degraded')],
    incidents: [
      { cause: 'net.carrier_outage', scope: { carrier: 'ctcc', region: 'Chengdu' }, terminals: ['C', 'D'] },
      { cause: 'provider.issuer_down', scope: { bin_prefix: '62266' }, terminals: ['F'] },
    ],
  };
  const s = score(truth, out);
  assert.equal(s.accuracy, 2 / 4);
  assert.equal(s.fpr, 1 / 2);
  assert.equal(s.incidentsMatched, 2);
  assert.deepEqual(s.malformed, []);
  assert.deepEqual(s.perCause.find((c) => c.cause === 'net.carrier_outage'), { cause: 'net.carrier_outage', truth: 2, predicted: 1, correct: 1, recall: 0.5, precision: 1 });
});

test('score() reports malformed output: unknown cause, status, confidence out of range, duplicates', () => {
  const out = { terminals: [t('A', 'hw.nothing'), { terminal: 'B', status: 'broken', diagnoses: [] }, { terminal: 'C', status: 'faulty', diagnoses: [{ cause: 'hw.printer', confidence: 1.5 }] }, t('C')] };
  const s = score(truth, out);
  assert.equal(s.malformed.length, 4);
  assert.equal(score(truth, 'nope').malformed[0], 'the output is not a JSON object');
  assert.deepEqual(score(truth, {}).malformed, ['no terminals array']);
});

test('scope rules: required dimensions, aliases, bins as prefix, range or list', () => {
  assert.equal(scopeAgrees('net.carrier_outage', { carrier: 'CTCC', region: 'Chengdu' }, { carrier: 'CTCC' }), false);
  assert.equal(scopeAgrees('sw.incompatible_update', { model: 'N910', campaign: 'C1', firmware: '1.7.0' }, { campaign_id: 'c1' }), true);
  assert.equal(scopeAgrees('sw.incompatible_update', { model: 'N910', campaign: 'C1', firmware: '1.7.0' }, { firmware_version: '1.7.1' }), false);
  const bins = ['622660', '622661', '622662', '622669'];
  assert.equal(binAgrees('62266', '62266', bins), true);
  assert.equal(binAgrees('6226', '62266', bins), false);
  assert.equal(binAgrees('622660-622669', '62266', bins), true);
  assert.equal(binAgrees(['622660', '622661', '622662'], '62266', bins), true);
  assert.equal(binAgrees(['622660'], '62266', bins), false);
  assert.equal(jaccard(['a', 'b', 'c'], ['a', 'b']), 2 / 3);
});
