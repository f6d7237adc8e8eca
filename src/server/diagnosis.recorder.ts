// Keeps the store in step with the engine: every tick asks the engine what changed, writes the
// diagnosis history (opened / updated / cleared), the latest state of the terminals concerned, and the
// incidents with their history (opened / joined / left / resolved), then tells in-process listeners
// (notifications, the dashboard's live stream) through ServerEvents.

import { EventEmitter } from 'node:events';
import type { Diagnosis, DiagnosisReport, Incident, TerminalDiagnosis } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import { diffIncidents, incidentId, type IncidentChange } from '../engine/correlate/index.ts';
import {
  listDiagnosedTerminals,
  listIncidents,
  resolveIncidents,
  saveDiagnosisChanges,
  saveIncidentChanges,
  upsertIncidents,
  upsertTerminalStates,
  type DiagnosisChange,
  type IncidentChange as StoredIncidentChange,
  type Store,
  type TerminalStateWrite,
} from '../store/index.ts';

export type { IncidentChange };

/** What the server tells in-process listeners after each tick has been written to the store. */
export interface ServerEventMap {
  'diagnosis.changed': [changes: readonly DiagnosisChange[]];
  'incident.opened': [change: IncidentChange];
  /** Terminals joined or left an open incident. */
  'incident.changed': [change: IncidentChange];
  'incident.resolved': [change: IncidentChange];
}

export type ServerEvents = EventEmitter<ServerEventMap>;

export function createServerEvents(): ServerEvents {
  const events = new EventEmitter<ServerEventMap>();
  events.setMaxListeners(100);
  return events;
}

export interface DiagnosisRecorder {
  /** Persists what changed since the last tick; concurrent calls share one run. */
  tick(): Promise<void>;
  /** The report of the last tick (or undefined before the first). */
  lastReport(): DiagnosisReport | undefined;
}

export interface RecorderOptions {
  store: Store;
  engine: Engine;
  events: ServerEvents;
  now: () => number;
}

/** After a restart the engine reports every current diagnosis as opened: keep only real changes against the stored states. */
function reconcile(changes: DiagnosisChange[], stored: Map<string, Diagnosis[]>, report: DiagnosisReport): DiagnosisChange[] {
  const out: DiagnosisChange[] = [];
  for (const c of changes) {
    const before = stored.get(c.terminal)?.find((d) => d.cause === c.cause);
    if (!before) out.push(c);
    else if (c.diagnosis && (Math.abs(before.confidence - c.diagnosis.confidence) >= 0.05 || before.incident !== c.diagnosis.incident)) {
      out.push({ ...c, kind: 'updated' });
    }
  }
  const current = new Map(report.terminals.map((t) => [t.terminal, new Set(t.diagnoses.map((d) => d.cause))]));
  for (const [terminal, diagnoses] of stored) {
    for (const d of diagnoses) if (!current.get(terminal)?.has(d.cause)) out.push({ terminal, cause: d.cause, kind: 'cleared', at: report.at });
  }
  return out;
}

function stateRows(changes: readonly DiagnosisChange[], report: DiagnosisReport): TerminalStateWrite[] {
  const byTerminal = new Map<string, TerminalDiagnosis>(report.terminals.map((t) => [t.terminal, t]));
  const terminals = new Set(changes.map((c) => c.terminal));
  return [...terminals].map((terminal) => {
    const entry = byTerminal.get(terminal);
    return { terminal, status: entry?.status ?? 'ok', diagnoses: entry?.diagnoses ?? [], updated_at: report.at };
  });
}

function storedIncidentChanges(changes: readonly IncidentChange[], at: string): StoredIncidentChange[] {
  return changes.flatMap((c) =>
    c.terminals.length === 0 ? [{ incident: c.incident, kind: c.kind, at }] : c.terminals.map((terminal) => ({ incident: c.incident, kind: c.kind, terminal, at })),
  );
}

async function writeIncidents(store: Store, active: readonly Incident[], changes: readonly IncidentChange[], at: string): Promise<void> {
  await upsertIncidents(store, active.map((i) => ({ ...i, id: incidentId(i), status: 'open' as const })));
  const resolved = changes.filter((c) => c.kind === 'resolved').map((c) => c.incident);
  await resolveIncidents(store, resolved, at);
  await saveIncidentChanges(store, storedIncidentChanges(changes, at));
}

function announce(events: ServerEvents, diagnoses: readonly DiagnosisChange[], incidents: readonly IncidentChange[]): void {
  if (diagnoses.length > 0) events.emit('diagnosis.changed', diagnoses);
  for (const c of incidents) {
    if (c.kind === 'opened') events.emit('incident.opened', c);
    else if (c.kind === 'resolved') events.emit('incident.resolved', c);
    else events.emit('incident.changed', c);
  }
}

export function createDiagnosisRecorder(opts: RecorderOptions): DiagnosisRecorder {
  const { store, engine, events } = opts;
  let baseline: Map<string, Diagnosis[]> | undefined;
  let previousIncidents: Incident[] | undefined;
  let last: DiagnosisReport | undefined;
  let running: Promise<void> | undefined;

  async function once(): Promise<void> {
    if (!baseline) baseline = await listDiagnosedTerminals(store);
    if (!previousIncidents) previousIncidents = await listIncidents(store, { status: 'open', limit: 1000 });
    const now = opts.now();
    let changes = engine.changes(now) as DiagnosisChange[];
    const report = engine.view() ?? engine.diagnose(now);
    if (last === undefined) changes = reconcile(changes, baseline, report);
    const incidentChanges = diffIncidents(previousIncidents, report.incidents);
    await saveDiagnosisChanges(store, changes);
    await upsertTerminalStates(store, stateRows(changes, report));
    await writeIncidents(store, report.incidents, incidentChanges, report.at);
    previousIncidents = report.incidents;
    last = report;
    announce(events, changes, incidentChanges);
  }

  return {
    tick() {
      running ??= once().finally(() => (running = undefined));
      return running;
    },
    lastReport: () => last,
  };
}
