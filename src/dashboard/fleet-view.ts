// The fleet as the dashboard shows it: one entry per terminal (registry facts + current diagnoses) and
// aggregates (by status, cause, category, region, model) kept up to date entry by entry as diagnoses change,
// so that no request recomputes them.

import { causeInfo, isCauseCode, TERMINAL_STATUSES } from '../domain/index.ts';
import type { DiagnosisReport, Registry, RegistryTerminal, TerminalDiagnosis, TerminalStatus } from '../domain/index.ts';
import type { TerminalEntry } from './dashboard.types.ts';
import { contractsBetween } from './fleet-scope.ts';

export type StatusCounts = Record<TerminalStatus, number>;
export type TroubleCounts = Record<Exclude<TerminalStatus, 'ok'>, number>;

export interface Contract {
  terminal: string;
  kind: 'sim' | 'lease';
  expires: string;
  merchant?: string;
  region?: string;
}

export interface ChangedTerminal {
  terminal: string;
  status: TerminalStatus;
  cause?: TerminalEntry['cause'];
  merchant?: string;
}

function emptyStatusCounts(): StatusCounts {
  return { ok: 0, degraded: 0, faulty: 0, offline: 0, locked: 0 };
}

function bump(map: Map<string, number>, key: string | undefined, by: number): void {
  if (key === undefined) return;
  const n = (map.get(key) ?? 0) + by;
  if (n === 0) map.delete(key);
  else map.set(key, n);
}

function bumpTrouble(map: Map<string, TroubleCounts>, key: string | undefined, status: TerminalStatus, by: number): void {
  if (key === undefined || status === 'ok') return;
  let c = map.get(key);
  if (!c) map.set(key, (c = { degraded: 0, faulty: 0, offline: 0, locked: 0 }));
  c[status] += by;
}

export class FleetView {
  /** Entries sorted by terminal ID (kept sorted so the default listing needs no sort). */
  entries: TerminalEntry[] = [];
  readonly byId = new Map<string, TerminalEntry>();
  readonly byStatus = emptyStatusCounts();
  readonly byCause = new Map<string, number>();
  readonly byCategory = new Map<string, number>();
  readonly byRegion = new Map<string, TroubleCounts>();
  readonly byModel = new Map<string, TroubleCounts>();
  readonly versions = new Map<string, number>();
  merchantNames = new Map<string, string>();
  facets = { models: [] as string[], regions: [] as string[], carriers: [] as string[], hosts: [] as string[] };
  contracts: Contract[] = [];
  private unsorted = false;

  private count(e: TerminalEntry, by: 1 | -1): void {
    this.byStatus[e.status] += by;
    bump(this.byCause, e.cause, by);
    bump(this.byCategory, e.category, by);
    bumpTrouble(this.byRegion, e.region, e.status, by);
    bumpTrouble(this.byModel, e.model, e.status, by);
    bump(this.versions, e.version, by);
  }

  private entry(terminal: string): TerminalEntry {
    let e = this.byId.get(terminal);
    if (!e) {
      e = { terminal, status: 'ok', causes: [], diagnoses: [] };
      this.byId.set(terminal, e);
      this.entries.push(e);
      this.unsorted = true;
      this.count(e, 1);
    }
    return e;
  }

  /** Call after a batch of changes: restores the terminal-ID order of `entries`. */
  settle(): void {
    if (!this.unsorted) return;
    this.entries.sort((a, b) => (a.terminal < b.terminal ? -1 : a.terminal > b.terminal ? 1 : 0));
    this.unsorted = false;
  }

  setRegistry(registry: Registry): void {
    const sets = { models: new Set<string>(), regions: new Set<string>(), carriers: new Set<string>(), hosts: new Set<string>() };
    const contracts: Contract[] = [];
    for (const t of registry.terminals) {
      this.setFacts(this.entry(t.terminal), t);
      if (t.model) sets.models.add(t.model);
      if (t.region) sets.regions.add(t.region);
      if (t.carrier) sets.carriers.add(t.carrier);
      if (t.host) sets.hosts.add(t.host);
      const base = { terminal: t.terminal, merchant: t.merchant, region: t.region };
      if (t.sim_expires) contracts.push({ ...base, kind: 'sim', expires: t.sim_expires });
      if (t.lease_expires) contracts.push({ ...base, kind: 'lease', expires: t.lease_expires });
    }
    for (const m of registry.models) sets.models.add(m.model);
    this.facets = {
      models: [...sets.models].sort(),
      regions: [...sets.regions].sort(),
      carriers: [...sets.carriers].sort(),
      hosts: [...sets.hosts].sort(),
    };
    this.contracts = contracts.sort((a, b) => (a.expires < b.expires ? -1 : a.expires > b.expires ? 1 : 0));
    this.merchantNames = new Map(registry.merchants.filter((m) => m.name).map((m) => [m.merchant, m.name!]));
    this.settle();
  }

  private setFacts(e: TerminalEntry, t: RegistryTerminal): void {
    this.count(e, -1);
    e.merchant = t.merchant;
    e.model = t.model;
    e.region = t.region;
    e.carrier = t.carrier;
    e.host = t.host;
    e.sim_expires = t.sim_expires;
    e.lease_expires = t.lease_expires;
    e.installed = t.installed;
    this.count(e, 1);
  }

  setVersion(terminal: string, version: string): void {
    const e = this.byId.get(terminal);
    if (!e || e.version === version) return;
    bump(this.versions, e.version, -1);
    e.version = version;
    bump(this.versions, version, 1);
  }

  /** Folds a whole report in; returns the terminals whose status or main cause changed. */
  applyReport(report: DiagnosisReport): ChangedTerminal[] {
    const changed: ChangedTerminal[] = [];
    const seen = new Set<string>();
    for (const td of report.terminals) {
      seen.add(td.terminal);
      if (this.applyTerminal(td)) changed.push(this.changeOf(this.byId.get(td.terminal)!));
    }
    for (const e of this.entries) {
      if (seen.has(e.terminal) || (e.status === 'ok' && e.diagnoses.length === 0)) continue;
      if (this.applyTerminal({ terminal: e.terminal, status: 'ok', diagnoses: [] })) changed.push(this.changeOf(e));
    }
    this.settle();
    return changed;
  }

  private changeOf(e: TerminalEntry): ChangedTerminal {
    return { terminal: e.terminal, status: e.status, cause: e.cause, merchant: e.merchant };
  }

  /** Sets one terminal's diagnoses; returns whether its status or main cause changed. */
  applyTerminal(td: TerminalDiagnosis): boolean {
    const e = this.entry(td.terminal);
    const status: TerminalStatus = TERMINAL_STATUSES.includes(td.status) ? td.status : 'ok';
    const main = td.diagnoses[0];
    const cause = main && isCauseCode(main.cause) ? main.cause : undefined;
    const changed = e.status !== status || e.cause !== cause;
    e.diagnoses = td.diagnoses;
    e.causes = td.diagnoses.map((d) => d.cause).filter(isCauseCode);
    e.confidence = main?.confidence;
    e.since = main?.since;
    e.incident = td.diagnoses.find((d) => d.incident)?.incident;
    if (!changed) return false;
    this.count(e, -1);
    e.status = status;
    e.cause = cause;
    e.category = cause ? causeInfo(cause).category : undefined;
    this.count(e, 1);
    return true;
  }

  /** Contracts expiring in [from, to) (dates as YYYY-MM-DD), soonest first. */
  contractsBetween(fromMs: number, toMs: number): Contract[] {
    return contractsBetween(this.contracts, fromMs, toMs);
  }
}
