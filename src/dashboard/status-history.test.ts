// The overview's status chart is honest: no sample before the engine's first diagnosis tick (a fresh
// server has seen no events, its all-ok counts would draw a drop to zero), the first one right after it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiagnosisReport } from '../domain/index.ts';
import { eventually } from '../../test/support/eventually.ts';
import { Dashboard } from './index.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');

test('the first status sample follows the first diagnosis tick, not the start', async () => {
  let report: DiagnosisReport = { at: new Date(NOW).toISOString(), terminals: [], incidents: [] };
  let tick: () => void = () => undefined;
  const dashboard = new Dashboard({
    diagnosis: () => report,
    registry: () => ({ terminals: [{ terminal: 'T1' }, { terminal: 'T2' }], merchants: [], models: [], maintenance: [] }),
    now: () => NOW,
    subscribe: (fn) => ((tick = () => fn()), () => undefined),
  });
  await dashboard.ready;
  assert.equal(dashboard.history.samples.length, 0, 'no sample at the start');
  report = {
    ...report,
    terminals: [{ terminal: 'T1', status: 'faulty', diagnoses: [{ cause: 'hw.chip_reader', confidence: 0.9, since: '2026-11-20T09:30:00Z', evidence: ['e'], remedy: ['r'] }] }],
  };
  tick();
  await eventually(() => assert.equal(dashboard.history.samples.length, 1), 3000);
  assert.equal(dashboard.history.samples[0]!.faulty, 1);
  const day = dashboard.history.window(NOW, 24 * 3600_000, dashboard.view.byStatus);
  assert.ok(day.filter((s) => !s.estimated).every((s) => s.faulty === 1), 'no real point drops to zero');
  assert.deepEqual(day.filter((s) => s.estimated && s.t >= Date.parse('2026-11-20T10:00:00Z')).map((s) => s.faulty), [1, 1]);
  dashboard.close();
});
