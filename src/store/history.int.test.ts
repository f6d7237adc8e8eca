import assert from 'node:assert/strict';
import { diagnosis, forEachStore } from '../../test/support/store.ts';
import {
  deleteKv, findIncident, getKv, listDiagnosisHistory, listIncidentHistory, listIncidents, resolveIncidents,
  saveDiagnosisChanges, saveIncidentChanges, setKv, upsertIncidents,
} from './index.ts';

forEachStore('saveDiagnosisChanges() keeps opened/updated/cleared; listDiagnosisHistory() reads newest first', async (store) => {
  const chip = diagnosis('hw.chip_reader');
  await saveDiagnosisChanges(store, [
    { terminal: 'T1', cause: 'hw.chip_reader', kind: 'opened', at: '2026-11-20T09:12:00Z', diagnosis: chip },
    { terminal: 'T1', cause: 'hw.chip_reader', kind: 'updated', at: Date.parse('2026-11-20T10:00:00Z'), diagnosis: { ...chip, confidence: 0.97 } },
    { terminal: 'T2', cause: 'hw.printer_paper', kind: 'opened', at: '2026-11-20T11:00:00Z' },
    { terminal: 'T1', cause: 'hw.chip_reader', kind: 'cleared', at: '2026-11-20T12:00:00Z' },
  ]);
  const t1 = await listDiagnosisHistory(store, { terminal: 'T1' });
  assert.deepEqual(t1.map((r) => [r.kind, r.at]), [['cleared', '2026-11-20T12:00:00Z'], ['updated', '2026-11-20T10:00:00Z'], ['opened', '2026-11-20T09:12:00Z']]);
  assert.equal(t1[1]?.diagnosis?.confidence, 0.97);
  assert.deepEqual(t1[2]?.diagnosis, chip);
  assert.equal(t1[0]?.diagnosis, undefined);
  assert.deepEqual((await listDiagnosisHistory(store, { cause: 'hw.printer_paper' })).map((r) => r.terminal), ['T2']);
  assert.equal((await listDiagnosisHistory(store, { from: '2026-11-20T10:30:00Z' })).length, 2);
  assert.equal((await listDiagnosisHistory(store, { limit: 1 })).length, 1);
});

forEachStore('incidents: upsert, list open first, filter by terminal, resolve, history', async (store) => {
  await upsertIncidents(store, [
    { id: 'I1', cause: 'net.carrier_outage', scope: { carrier: 'CUCC', region: 'Hangzhou' }, terminals: ['T7', 'T19'], since: '2026-11-20T14:02:00Z', status: 'open', evidence: ['12 of 14 offline'], evidence_zh: ['14 台中 12 台离线'] },
    { id: 'I2', cause: 'provider.maintenance', scope: { host: 'host-a' }, terminals: ['T1'], since: '2026-11-20T02:00:00Z', status: 'open' },
  ]);
  assert.deepEqual(await resolveIncidents(store, ['I2', 'nope'], '2026-11-20T04:30:00Z'), ['I2']);
  assert.deepEqual(await resolveIncidents(store, ['I2'], '2026-11-20T05:00:00Z'), [], 'already resolved');
  await upsertIncidents(store, [{ id: 'I3', cause: 'provider.issuer_down', scope: { bin: ['622848'] }, terminals: ['T7'], since: '2026-11-20T15:00:00Z', status: 'open' }]);
  assert.deepEqual((await listIncidents(store)).map((i) => i.id), ['I3', 'I1', 'I2']);
  assert.deepEqual((await listIncidents(store, { terminal: 'T7' })).map((i) => i.id), ['I3', 'I1']);
  assert.deepEqual((await listIncidents(store, { status: 'resolved' })).map((i) => [i.id, i.resolved_at]), [['I2', '2026-11-20T04:30:00Z']]);
  assert.deepEqual(await findIncident(store, 'I1'), {
    id: 'I1', cause: 'net.carrier_outage', scope: { carrier: 'CUCC', region: 'Hangzhou' }, terminals: ['T7', 'T19'], since: '2026-11-20T14:02:00Z',
    status: 'open', evidence: ['12 of 14 offline'], evidence_zh: ['14 台中 12 台离线'],
  });
  await saveIncidentChanges(store, [
    { incident: 'I1', kind: 'opened', at: '2026-11-20T14:02:00Z' },
    { incident: 'I1', kind: 'joined', terminal: 'T19', at: '2026-11-20T14:05:00Z' },
    { incident: 'I1', kind: 'left', terminal: 'T19', at: '2026-11-20T15:00:00Z' },
  ]);
  assert.deepEqual(await listIncidentHistory(store, 'I1'), [
    { incident: 'I1', kind: 'opened', at: '2026-11-20T14:02:00Z' },
    { incident: 'I1', kind: 'joined', terminal: 'T19', at: '2026-11-20T14:05:00Z' },
    { incident: 'I1', kind: 'left', terminal: 'T19', at: '2026-11-20T15:00:00Z' },
  ]);
});

forEachStore('getKv()/setKv() keep any JSON value; deleteKv() removes it', async (store) => {
  assert.equal(await getKv(store, 'snapshot'), undefined);
  const snapshot = { terminals: { T1: [1, 2, 3] }, offset: 42, note: '中文', nested: [null, true] };
  await setKv(store, 'snapshot', snapshot);
  assert.deepEqual(await getKv(store, 'snapshot'), snapshot);
  await setKv(store, 'snapshot', 'replaced');
  await setKv(store, 'first-admin', true);
  assert.equal(await getKv(store, 'snapshot'), 'replaced');
  assert.equal(await getKv(store, 'first-admin'), true);
  assert.equal(await deleteKv(store, 'snapshot'), true);
  assert.equal(await deleteKv(store, 'snapshot'), false);
  assert.equal(await getKv(store, 'snapshot'), undefined);
});
