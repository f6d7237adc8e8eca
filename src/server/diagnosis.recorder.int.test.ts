// The recorder between the engine and the store: diagnosis history and terminal states for the
// terminals that changed, incidents with their opened/joined/left/resolved history, and the
// in-process events, on both kinds of store. The engine is scripted: only its reports matter here.
import assert from 'node:assert/strict';
import { forEachStore } from '../../test/support/store.ts';
import type { Diagnosis, DiagnosisReport, Incident } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import { findIncident, findTerminalState, listDiagnosisHistory, listIncidentHistory, type DiagnosisChange } from '../store/index.ts';
import { createDiagnosisRecorder, createServerEvents } from './diagnosis.recorder.ts';

const diagnosis = (cause: Diagnosis['cause'], incident?: string): Diagnosis =>
  ({ cause, confidence: 0.9, since: '2026-06-04T09:00:00Z', evidence: ['e'], evidence_zh: ['证据'], remedy: [], remedy_zh: [], ...(incident ? { incident } : {}) }) as Diagnosis;

const outage = (terminals: string[]): Incident => ({
  id: 'net.carrier_outage:CUCC:Hangzhou', cause: 'net.carrier_outage', scope: { carrier: 'CUCC', region: 'Hangzhou' }, terminals, since: '2026-06-04T09:00:00Z', evidence: ['silent'], evidence_zh: ['静默'],
});

function report(at: string, sick: Record<string, Diagnosis[]>, incidents: Incident[]): DiagnosisReport {
  const terminals = ['T1', 'T2', 'T3'].map((t) => ({ terminal: t, status: sick[t]?.length ? 'offline' : 'ok', diagnoses: sick[t] ?? [] })) as DiagnosisReport['terminals'];
  return { at, terminals, incidents };
}

/** An engine that answers with the given reports, one per tick, and diffs them like the real one (opened/cleared). */
function scriptedEngine(reports: DiagnosisReport[]): Engine {
  let i = -1;
  let before: DiagnosisReport | undefined;
  return {
    observe() {},
    setRegistry() {},
    snapshot: () => ({}),
    diagnose: () => reports[i]!,
    view: () => reports[i],
    terminal: () => undefined,
    incidents: () => reports[i]?.incidents ?? [],
    changes() {
      i++;
      const now = reports[i]!;
      const had = new Set(before?.terminals.flatMap((t) => t.diagnoses.map((d) => `${t.terminal}|${d.cause}`)) ?? []);
      const has = new Set(now.terminals.flatMap((t) => t.diagnoses.map((d) => `${t.terminal}|${d.cause}`)));
      const out: DiagnosisChange[] = [];
      for (const t of now.terminals) for (const d of t.diagnoses) if (!had.has(`${t.terminal}|${d.cause}`)) out.push({ terminal: t.terminal, cause: d.cause, kind: 'opened', at: now.at, diagnosis: d });
      for (const k of had) if (!has.has(k)) out.push({ terminal: k.split('|')[0]!, cause: k.split('|')[1] as Diagnosis['cause'], kind: 'cleared', at: now.at });
      before = now;
      return out as never;
    },
  };
}

forEachStore('the recorder writes diagnosis history, states and incident history, then tells listeners', async (store) => {
  const id = 'net.carrier_outage:CUCC:Hangzhou';
  const reports = [
    report('2026-06-04T10:00:00Z', { T1: [diagnosis('net.carrier_outage', id)], T2: [diagnosis('net.carrier_outage', id)] }, [outage(['T1', 'T2'])]),
    report('2026-06-04T10:05:00Z', { T2: [diagnosis('net.carrier_outage', id)], T3: [diagnosis('net.carrier_outage', id)] }, [outage(['T2', 'T3'])]),
    report('2026-06-04T10:10:00Z', { T3: [diagnosis('hw.printer')] }, []),
  ];
  const events = createServerEvents();
  const heard: string[] = [];
  events.on('incident.opened', (c) => heard.push(`opened ${c.terminals.join(',')}`));
  events.on('incident.changed', (c) => heard.push(`${c.kind} ${c.terminals.join(',')}`));
  events.on('incident.resolved', (c) => heard.push(`resolved ${c.terminals.join(',')}`));
  events.on('diagnosis.changed', (changes) => heard.push(`diagnoses ${changes.length}`));
  const recorder = createDiagnosisRecorder({ store, engine: scriptedEngine(reports), events, now: () => 0 });

  await recorder.tick();
  assert.equal((await findIncident(store, id))?.status, 'open');
  assert.deepEqual((await findTerminalState(store, 'T1'))?.diagnoses.map((d) => d.cause), ['net.carrier_outage']);
  await recorder.tick();
  await recorder.tick();

  assert.deepEqual(heard, ['diagnoses 2', 'opened T1,T2', 'diagnoses 2', 'joined T3', 'left T1', 'diagnoses 3', 'resolved T2,T3']);
  const incident = await findIncident(store, id);
  assert.equal(incident?.status, 'resolved');
  assert.equal(incident?.resolved_at, '2026-06-04T10:10:00Z');
  const history = (await listIncidentHistory(store, id)).map((h) => `${h.kind} ${h.terminal ?? ''}`);
  assert.deepEqual(history, ['opened T1', 'opened T2', 'joined T3', 'left T1', 'resolved T2', 'resolved T3']);
  const t3 = (await listDiagnosisHistory(store, { terminal: 'T3' })).map((h) => `${h.kind} ${h.cause}`).reverse();
  // within one tick the rows keep the engine's order (opened before cleared)
  assert.deepEqual(t3, ['opened net.carrier_outage', 'opened hw.printer', 'cleared net.carrier_outage']);
  assert.equal((await findTerminalState(store, 'T1'))?.status, 'ok', 'a cleared terminal is written back as ok');
  assert.deepEqual((await findTerminalState(store, 'T3'))?.diagnoses.map((d) => d.cause), ['hw.printer']);
});
