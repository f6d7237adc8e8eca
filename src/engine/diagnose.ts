// From terminal states to the spec/causes.md report: run every detector, keep confident
// candidates, put fleet incidents first on their members, and pick the status.

import { causeInfo, type CauseCode, type Diagnosis, type DiagnosisReport, type Incident, type Registry, type RegistryModel, type RegistryTerminal, type TerminalDiagnosis } from '../domain/index.ts';
import { DETECTORS, type Candidate } from './detectors/index.ts';
import { evidenceTime, txnEvidenceTime } from './detectors/types.ts';
import { C } from './counters.ts';
import { fleetBaseline, type FleetBaseline } from './fleet.ts';
import type { TerminalState } from './state.ts';

/** Candidates below this confidence are not reported. */
export const REPORT_THRESHOLD = 0.5;

/** Per-terminal causes an incident of a given cause already explains (same symptoms). */
const EXPLAINED: Partial<Record<CauseCode, CauseCode[]>> = {
  'net.carrier_outage': ['net.offline', 'net.weak_signal', 'net.config', 'provider.maintenance', 'net.host_slow'],
  'net.host_slow': ['net.offline', 'net.weak_signal', 'provider.maintenance'],
  'provider.maintenance': ['net.offline', 'net.host_slow', 'provider.issuer_down', 'net.weak_signal'],
  'provider.issuer_down': ['provider.maintenance'],
  'sw.incompatible_update': ['sw.crash_loop', 'sw.app_conflict', 'sw.update_failed'],
};
const EXTERNAL: CauseCode[] = ['net.carrier_outage', 'net.host_slow', 'provider.issuer_down', 'sw.incompatible_update'];

export interface DiagnoseInput {
  states: Map<string, TerminalState>;
  registry: Registry;
  byTerminal: ReadonlyMap<string, RegistryTerminal>;
  models: Map<string, RegistryModel>;
  incidents: Incident[];
  observedFrom: number;
  nowMs: number;
}

const iso = (sec: number, fallbackMs: number): string => new Date(Number.isFinite(sec) && sec > 0 ? sec * 1000 : fallbackMs).toISOString();

function toDiagnosis(c: Candidate, nowMs: number): Diagnosis {
  const info = causeInfo(c.cause);
  return {
    cause: c.cause, confidence: c.confidence, since: iso(Math.min(c.since, nowMs / 1000), nowMs),
    evidence: c.evidence, evidence_zh: c.evidence_zh, remedy: info.remedy.en, remedy_zh: info.remedy['zh-CN'],
  };
}

function incidentDiagnosis(inc: Incident): Diagnosis {
  const info = causeInfo(inc.cause);
  const scope = Object.entries(inc.scope).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(', ');
  const d: Diagnosis = {
    cause: inc.cause, confidence: 0.9, since: inc.since,
    evidence: inc.evidence?.length ? inc.evidence : [`fleet incident ${inc.cause} (${scope}) with ${inc.terminals.length} terminals`],
    evidence_zh: inc.evidence_zh?.length ? inc.evidence_zh : [`全网事件 ${inc.cause}（${scope}），涉及 ${inc.terminals.length} 台终端`],
    remedy: info.remedy.en, remedy_zh: info.remedy['zh-CN'],
  };
  d.incident = inc.id ?? `${inc.cause}:${scope}`;
  return d;
}

function candidatesOf(terminal: string, state: TerminalState, x: DiagnoseInput, ctx: FleetContext): Candidate[] {
  const registry = x.byTerminal.get(terminal);
  const now = evidenceTime(state.lastArrival, x.nowMs / 1000);
  const input = {
    terminal, state, registry, model: registry?.model ? x.models.get(registry.model) : undefined,
    maintenance: x.registry.maintenance, fleet: ctx.fleet, now, at: x.nowMs / 1000, txnNow: txnEvidenceTime(now, state.counters.last(C.TXN)),
    merchantLastSeen: registry?.merchant ? ctx.merchantLast.get(registry.merchant) : undefined,
  };
  const out: Candidate[] = [];
  for (const d of DETECTORS) for (const c of d.detect(input)) if (c.confidence >= REPORT_THRESHOLD) out.push(c);
  out.sort((a, b) => b.confidence - a.confidence);
  const seen = new Set<CauseCode>();
  return out.filter((c) => !seen.has(c.cause) && seen.add(c.cause));
}

/**
 * Per-terminal candidates for fleet causes are fallbacks for when the correlator sees no
 * incident; when it reports an incident of that cause without this terminal, it looked and
 * left the terminal out, so the fallback is dropped.
 */
function terminalDiagnosis(terminal: string, cands: Candidate[], incidents: Incident[], activeCauses: Set<CauseCode>, nowMs: number): TerminalDiagnosis {
  let diagnoses = cands
    .filter((c) => !(EXTERNAL.includes(c.cause) && activeCauses.has(c.cause) && !incidents.some((i) => i.cause === c.cause)))
    .map((c) => toDiagnosis(c, nowMs));
  if (incidents.length > 0) {
    const explained = new Set<CauseCode>(incidents.flatMap((i) => [i.cause, ...(EXPLAINED[i.cause] ?? [])]));
    diagnoses = [...incidents.map(incidentDiagnosis), ...diagnoses.filter((d) => !explained.has(d.cause))];
  }
  const status = diagnoses.length === 0 ? 'ok' : causeInfo(diagnoses[0]!.cause).status;
  return { terminal, status, diagnoses };
}

/** What every terminal's diagnosis is measured against: the fleet's baselines, the incidents, each merchant's latest arrival. */
export interface FleetContext {
  fleet: FleetBaseline;
  /** Per merchant, the latest arrival (ms) of any of its terminals. */
  merchantLast: Map<string, number>;
  byIncident: Map<string, Incident[]>;
  activeCauses: Set<CauseCode>;
}

/** Incidents by member terminal, and the causes of the active ones. */
export function incidentIndex(incidents: readonly Incident[]): Pick<FleetContext, 'byIncident' | 'activeCauses'> {
  const byIncident = new Map<string, Incident[]>();
  for (const inc of incidents) for (const t of inc.terminals) byIncident.set(t, [...(byIncident.get(t) ?? []), inc]);
  return { byIncident, activeCauses: new Set(incidents.map((i) => i.cause)) };
}

/** One pass over the fleet: baselines and merchants' latest arrivals at `x.nowMs`, and the incident index. */
export function fleetContext(x: DiagnoseInput): FleetContext {
  const members = [...x.states].map(([t, state]) => ({ state, registry: x.byTerminal.get(t) }));
  const merchantLast = new Map<string, number>();
  for (const { state, registry } of members) {
    const m = registry?.merchant;
    if (m && state.lastArrival > (merchantLast.get(m) ?? 0)) merchantLast.set(m, state.lastArrival);
  }
  return { fleet: fleetBaseline(members, x.nowMs, x.observedFrom), merchantLast, ...incidentIndex(x.incidents) };
}

/** One terminal's diagnosis against a fleet context. */
export function diagnoseTerminal(terminal: string, state: TerminalState, x: DiagnoseInput, ctx: FleetContext): TerminalDiagnosis {
  return terminalDiagnosis(terminal, candidatesOf(terminal, state, x, ctx), ctx.byIncident.get(terminal) ?? [], ctx.activeCauses, x.nowMs);
}

export const byTerminalName = (a: { terminal: string }, b: { terminal: string }): number => (a.terminal < b.terminal ? -1 : a.terminal > b.terminal ? 1 : 0);

export function diagnoseFleet(x: DiagnoseInput): DiagnosisReport {
  const ctx = fleetContext(x);
  const terminals: TerminalDiagnosis[] = [];
  for (const [terminal, state] of x.states) terminals.push(diagnoseTerminal(terminal, state, x, ctx));
  terminals.sort(byTerminalName);
  return { at: new Date(x.nowMs).toISOString(), terminals, incidents: x.incidents };
}
