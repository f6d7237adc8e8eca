// createEngine: folds events into per-terminal state and answers diagnose(now) / changes(now).
// Pure: no I/O, no clock reads; `now` is always passed in.

import type { DiagnosisReport, Incident, PosEvent, Registry, RegistryModel, RegistryTerminal, TerminalDiagnosis } from '../domain/index.ts';
import { ArrivalClock } from './clock.ts';
import type { DiagnosisChange } from './changes.ts';
import { createCorrelator, type FleetCorrelator } from './correlator.ts';
import { diagnoseFleet, type DiagnoseInput } from './diagnose.ts';
import { LiveDiagnosis } from './live.ts';
import { terminalsByName } from './registry.index.ts';
import { restoreStates, snapshotStates } from './snapshot.ts';
import { foldEvent, stateRows, TerminalState } from './state.ts';
import { StateTable } from './state.table.ts';

export interface Engine {
  observe(event: PosEvent): void;
  /** The whole fleet diagnosed at `now` (the reference answer; its cost grows with the fleet). */
  diagnose(now: number): DiagnosisReport;
  /**
   * Live mode: what changed since the last call. Re-diagnoses the terminals heard from since, the
   * members of changed incidents and a rolling share of the rest (all within 5 minutes of event time).
   */
  changes(now: number): DiagnosisChange[];
  /** The fleet as the last changes() left it (undefined before the first call). */
  view(): DiagnosisReport | undefined;
  /** One terminal at `now` (undefined when the engine does not know it). */
  terminal(terminal: string, now: number): TerminalDiagnosis | undefined;
  /** The fleet incidents at `now`. */
  incidents(now: number): Incident[];
  setRegistry(registry: Registry): void;
  snapshot(): unknown;
}

/** Device times further than this from the arrival clock are not trusted for the counters. */
const TRUST_TS_MS = 6 * 3_600_000;

/** Version of the engine's snapshot; a snapshot of another version is not restored (see engineSnapshotUsable). */
const SNAPSHOT_VERSION = 4;

interface EngineSnapshot {
  v: typeof SNAPSHOT_VERSION;
  clock: { now: number; first: number };
  states: unknown;
  /** The fleet correlator's state (absent in snapshots written before it was kept). */
  correlator?: unknown;
}

/**
 * Whether createEngine() restores this snapshot. When not (one written by an older layout), the
 * engine starts empty: whoever keeps snapshots must then feed it every event again, not only those
 * after the snapshot.
 */
export function engineSnapshotUsable(snapshot: unknown): boolean {
  return typeof snapshot === 'object' && snapshot !== null && (snapshot as { v?: unknown }).v === SNAPSHOT_VERSION;
}

export function createEngine(opts: { registry: Registry; snapshot?: unknown }): Engine {
  const states = new StateTable();
  const clock = new ArrivalClock();
  const snap = engineSnapshotUsable(opts.snapshot) ? (opts.snapshot as EngineSnapshot) : undefined;
  if (snap) {
    clock.restore(snap.clock);
    for (const [t, s] of restoreStates(snap.states)) states.set(t, s);
  }
  // the states first: the correlator keeps its row numbers on them
  const correlator: FleetCorrelator = createCorrelator(opts.registry, snap?.correlator, stateRows(states));
  let registry = opts.registry;
  let byTerminal: ReadonlyMap<string, RegistryTerminal> = new Map();
  let models = new Map<string, RegistryModel>();

  const setRegistry = (r: Registry, rebuild = false): void => {
    registry = r;
    byTerminal = terminalsByName(r, rebuild);
    models = new Map(r.models.map((m) => [m.model, m]));
  };
  setRegistry(opts.registry);

  function input(now: number, incidents: Incident[]): DiagnoseInput {
    const all = new Map(states);
    for (const t of byTerminal.keys()) if (!all.has(t)) all.set(t, new TerminalState());
    return { states: all, registry, byTerminal, models, incidents, observedFrom: clock.first, nowMs: now };
  }
  const live = new LiveDiagnosis({ input, state: (t) => states.get(t), incidents: (now) => correlator.incidents(now) });

  function observe(e: PosEvent): void {
    const arrival = clock.observe(e.tsMs, e.terminal);
    const ms = Math.abs(e.tsMs - arrival) > TRUST_TS_MS ? arrival : e.tsMs;
    // one lookup with the event's own string; the stored name (the registry's string when it has
    // the terminal, so that one copy is kept) then serves the correlator's maps
    let s = states.get(e.terminal);
    if (!s) {
      s = new TerminalState();
      s.name = byTerminal.get(e.terminal)?.terminal ?? e.terminal;
      states.set(s.name, s);
    }
    if (!Object.isFrozen(e)) (e as { terminal: string }).terminal = s.name;
    foldEvent(s, e, Math.floor(ms / 1000), arrival, clock.coherent);
    correlator.observe(e);
    if (live.active) live.dirty.add(s.name);
  }

  function diagnose(now: number): DiagnosisReport {
    return diagnoseFleet(input(now, correlator.incidents(now)));
  }

  return {
    observe,
    diagnose,
    changes: (now) => live.changes(now),
    view: () => live.view(),
    terminal(terminal, now) {
      if (!states.has(terminal) && !byTerminal.has(terminal)) return undefined;
      return live.terminal(terminal, now) ?? diagnose(now).terminals.find((t) => t.terminal === terminal);
    },
    incidents: (now) => correlator.incidents(now),
    setRegistry(r) {
      setRegistry(r, true);
      correlator.setRegistry(r);
      live.reset();
    },
    snapshot(): EngineSnapshot {
      return { v: SNAPSHOT_VERSION, clock: clock.toJSON(), states: snapshotStates(states), correlator: correlator.snapshot() };
    },
  };
}
