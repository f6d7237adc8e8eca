// Live diagnosis for a running server. Diagnosing a whole fleet costs tens of microseconds per
// terminal (about a second per 20,000), too much to repeat every few seconds for millions of
// terminals. Each changes(now) re-diagnoses only the terminals that sent events since the last
// call, the members of incidents that changed, and a slice of all the others, so that every
// terminal is looked at again within SWEEP_MS of event time (silences and fading evidence change
// without events). Fleet baselines are recomputed every BASELINE_MS; when the set of incident
// causes changes (their fallbacks are dropped or come back on every terminal) or the registry
// changes, everything is diagnosed again. diagnose(now) stays the reference: after a full sweep
// the live view equals it.

import type { DiagnosisReport, Incident, TerminalDiagnosis } from '../domain/index.ts';
import { diffTerminal, type DiagnosisChange } from './changes.ts';
import { diagnoseTerminal, fleetContext, incidentIndex, type DiagnoseInput, type FleetContext } from './diagnose.ts';
import type { TerminalState } from './state.ts';

/** Every terminal is diagnosed again at least this often (event time). */
export const SWEEP_MS = 5 * 60_000;
/** Fleet baselines are at most this old, in event time… */
export const BASELINE_MS = 60_000;
/** …and are recomputed once this share of the fleet has sent events since. */
const BASELINE_SHARE = 0.25;

export interface LiveSource {
  /** The input of a full diagnosis at `now`: every terminal's state, registry terminals never heard from included. */
  input(now: number, incidents: Incident[]): DiagnoseInput;
  /** A terminal's state, once it has sent events. */
  state(terminal: string): TerminalState | undefined;
  incidents(now: number): Incident[];
}

const okEntry = (terminal: string): TerminalDiagnosis => ({ terminal, status: 'ok', diagnoses: [] });

const incidentKey = (i: Incident): string => i.id ?? `${i.cause}:${JSON.stringify(i.scope)}`;

const sameIncidents = (a: readonly Incident[] | undefined, b: readonly Incident[] | undefined): boolean =>
  (a?.length ?? 0) === (b?.length ?? 0) && (a ?? []).every((x, i) => incidentKey(x) === incidentKey(b![i]!));

const causesOf = (incidents: readonly Incident[]): string => [...new Set(incidents.map((i) => i.cause))].sort().join(' ');

export class LiveDiagnosis {
  /** Terminals that sent events since the last changes(); noted only once live diagnosis started. */
  readonly dirty = new Set<string>();
  private started = false;
  private input: DiagnoseInput | undefined;
  private ctx: FleetContext | undefined;
  private ctxAt = -Infinity;
  /** Terminals heard from since the baselines were computed (counted per changes() call). */
  private heardSince = 0;
  private lastNow = -Infinity;
  /** Terminals not ok, as last diagnosed. */
  private readonly current = new Map<string, TerminalDiagnosis>();
  /** Every terminal, in the order the sweep visits them (sorted, but for terminals first heard of since). */
  private order: string[] = [];
  private sorted = true;
  private cursor = 0;
  private incidents: Incident[] = [];
  /** view() until the next changes(). */
  private viewed: DiagnosisReport | undefined;

  constructor(private readonly source: LiveSource) {}

  /** Whether observe() should note terminals in `dirty`. */
  get active(): boolean {
    return this.started;
  }

  /** Forget everything derived (the registry changed): the next changes() diagnoses every terminal. */
  reset(): void {
    this.input = undefined;
    this.viewed = undefined;
  }

  changes(now: number): DiagnosisChange[] {
    this.viewed = undefined;
    const incidents = this.source.incidents(now);
    let todo: Iterable<string>;
    if (!this.input || causesOf(incidents) !== causesOf(this.incidents) || now < this.lastNow) {
      this.rebuild(now, incidents);
      todo = this.order;
    } else {
      const was = this.ctx!.byIncident;
      this.refresh(now, incidents);
      const chosen = new Set(this.dirty);
      for (const t of movedMembers(was, this.ctx!.byIncident)) chosen.add(t);
      // the sweep: a share of all terminals in proportion to the event time that passed
      const n = this.order.length;
      const count = Math.min(n, Math.ceil((n * (now - this.lastNow)) / SWEEP_MS));
      for (let i = 0; i < count; i++) {
        chosen.add(this.order[this.cursor]!);
        this.cursor = (this.cursor + 1) % n;
      }
      todo = chosen;
    }
    this.dirty.clear();
    this.incidents = incidents;
    this.lastNow = now;
    this.started = true;
    return this.rediagnose(todo, now);
  }

  /** The fleet as last diagnosed by changes(): every terminal, sorted, with the incidents of that moment. */
  view(): DiagnosisReport | undefined {
    if (!this.input) return undefined;
    if (this.viewed) return this.viewed;
    if (!this.sorted) {
      this.order.sort();
      this.sorted = true;
    }
    const terminals = this.order.map((t) => this.current.get(t) ?? okEntry(t));
    this.viewed = { at: new Date(this.lastNow).toISOString(), terminals, incidents: this.incidents };
    return this.viewed;
  }

  /** One terminal at `now` against the live baselines, when they are at most two BASELINE_MS old (else undefined). */
  terminal(terminal: string, now: number): TerminalDiagnosis | undefined {
    if (!this.input || !this.ctx || Math.abs(now - this.ctxAt) >= 2 * BASELINE_MS) return undefined;
    const state = this.source.state(terminal) ?? this.input.states.get(terminal);
    if (!state) return undefined;
    const incidents = this.source.incidents(now);
    const ctx: FleetContext = sameIncidents(incidents, this.incidents) ? this.ctx : { ...this.ctx, ...incidentIndex(incidents) };
    return diagnoseTerminal(terminal, state, { ...this.input, nowMs: now, incidents }, ctx);
  }

  private rediagnose(todo: Iterable<string>, now: number): DiagnosisChange[] {
    const input = this.input!;
    const ctx = this.ctx!;
    const at = new Date(now).toISOString();
    const out: DiagnosisChange[] = [];
    for (const terminal of todo) {
      const state = input.states.get(terminal);
      if (!state) continue;
      const next = diagnoseTerminal(terminal, state, input, ctx);
      const was = this.current.get(terminal);
      if (next.status === 'ok' && next.diagnoses.length === 0) {
        if (was) diffTerminal(terminal, was.diagnoses, undefined, at, out);
        this.current.delete(terminal);
        continue;
      }
      diffTerminal(terminal, was?.diagnoses, next.diagnoses, at, out);
      this.current.set(terminal, next);
    }
    return out;
  }

  private rebuild(now: number, incidents: Incident[]): void {
    this.heardSince = 0;
    this.input = this.source.input(now, incidents);
    this.ctx = fleetContext(this.input);
    this.ctxAt = now;
    this.order = [...this.input.states.keys()].sort();
    this.sorted = true;
    this.cursor = 0;
    for (const t of this.current.keys()) if (!this.input.states.has(t)) this.current.delete(t);
  }

  /** Baselines at most BASELINE_MS old, the incident index current, and the terminals heard from since taken in. */
  private refresh(now: number, incidents: Incident[]): void {
    this.heardSince += this.dirty.size;
    if (now - this.ctxAt >= BASELINE_MS || this.heardSince >= BASELINE_SHARE * this.order.length) {
      this.heardSince = 0;
      const known = this.input!.states;
      this.input = this.source.input(now, incidents);
      for (const t of this.input.states.keys()) if (!known.has(t)) this.addToOrder(t);
      this.ctx = fleetContext(this.input);
      this.ctxAt = now;
      return;
    }
    const input = this.input!;
    const ctx = this.ctx!;
    input.nowMs = now;
    input.incidents = incidents;
    Object.assign(ctx, incidentIndex(incidents));
    for (const t of this.dirty) {
      const state = this.source.state(t);
      if (!state) continue;
      if (input.states.get(t) !== state) {
        if (!input.states.has(t)) this.addToOrder(t);
        input.states.set(t, state);
      }
      const m = input.byTerminal.get(t)?.merchant;
      if (m && state.lastArrival > (ctx.merchantLast.get(m) ?? 0)) ctx.merchantLast.set(m, state.lastArrival);
    }
  }

  private addToOrder(terminal: string): void {
    this.order.push(terminal);
    this.sorted = false;
  }
}

/** Terminals that joined or left an incident, or whose incidents changed, between two incident indexes. */
function movedMembers(was: ReadonlyMap<string, Incident[]>, now: ReadonlyMap<string, Incident[]>): Set<string> {
  const out = new Set<string>();
  for (const [t, list] of now) if (!sameIncidents(list, was.get(t))) out.add(t);
  for (const t of was.keys()) if (!now.has(t)) out.add(t);
  return out;
}
