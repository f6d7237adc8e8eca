// The fleet's figures for one caller: the whole view's running aggregates for callers who see everything,
// recounted over the visible entries for tenant-bound staff (an agent's ops user sees its subtree only).

import type { TerminalEntry } from './dashboard.types.ts';
import type { Contract, FleetView, StatusCounts, TroubleCounts } from './fleet-view.ts';

export interface FleetFigures {
  entries: readonly TerminalEntry[];
  byStatus: StatusCounts;
  byCause: Map<string, number>;
  byCategory: Map<string, number>;
  byRegion: Map<string, TroubleCounts>;
  byModel: Map<string, TroubleCounts>;
  versions: Map<string, number>;
  facets: FleetView['facets'];
  /** Sorted by expiry date. */
  contracts: readonly Contract[];
  /** False when the figures are the whole fleet's. */
  scoped: boolean;
}

const bump = (map: Map<string, number>, key: string | undefined) => {
  if (key !== undefined) map.set(key, (map.get(key) ?? 0) + 1);
};

function bumpTrouble(map: Map<string, TroubleCounts>, key: string | undefined, e: TerminalEntry): void {
  if (key === undefined || e.status === 'ok') return;
  let c = map.get(key);
  if (!c) map.set(key, (c = { degraded: 0, faulty: 0, offline: 0, locked: 0 }));
  c[e.status]++;
}

const sorted = (set: Set<string | undefined>) => [...set].filter((x): x is string => x !== undefined).sort();

/** Counts of `entries` (already narrowed to what the caller sees). */
export function countEntries(entries: readonly TerminalEntry[], contracts: readonly Contract[]): Omit<FleetFigures, 'scoped'> {
  const f = {
    entries, byStatus: { ok: 0, degraded: 0, faulty: 0, offline: 0, locked: 0 }, byCause: new Map<string, number>(),
    byCategory: new Map<string, number>(), byRegion: new Map<string, TroubleCounts>(), byModel: new Map<string, TroubleCounts>(),
    versions: new Map<string, number>(), contracts,
  };
  const sets = { models: new Set<string | undefined>(), regions: new Set<string | undefined>(), carriers: new Set<string | undefined>(), hosts: new Set<string | undefined>() };
  for (const e of entries) {
    f.byStatus[e.status]++;
    bump(f.byCause, e.cause);
    bump(f.byCategory, e.category);
    bumpTrouble(f.byRegion, e.region, e);
    bumpTrouble(f.byModel, e.model, e);
    bump(f.versions, e.version);
    sets.models.add(e.model);
    sets.regions.add(e.region);
    sets.carriers.add(e.carrier);
    sets.hosts.add(e.host);
  }
  const facets = { models: sorted(sets.models), regions: sorted(sets.regions), carriers: sorted(sets.carriers), hosts: sorted(sets.hosts) };
  return { ...f, facets };
}

/** What `sees` (from src/auth; absent: everything) makes of the fleet. */
export function figuresFor(view: FleetView, sees: ((terminal: string) => boolean) | undefined): FleetFigures {
  if (!sees) {
    const { entries, byStatus, byCause, byCategory, byRegion, byModel, versions, facets, contracts } = view;
    return { entries, byStatus, byCause, byCategory, byRegion, byModel, versions, facets, contracts, scoped: false };
  }
  const entries = view.entries.filter((e) => sees(e.terminal));
  return { ...countEntries(entries, view.contracts.filter((c) => sees(c.terminal))), scoped: true };
}

/** Contracts expiring in [from, to) (dates as YYYY-MM-DD), soonest first; `contracts` sorted by expiry. */
export function contractsBetween(contracts: readonly Contract[], fromMs: number, toMs: number): Contract[] {
  const from = new Date(fromMs).toISOString().slice(0, 10);
  const to = new Date(toMs).toISOString().slice(0, 10);
  let lo = 0;
  let hi = contracts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (contracts[mid]!.expires < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Contract[] = [];
  for (let i = lo; i < contracts.length && contracts[i]!.expires < to; i++) out.push(contracts[i]!);
  return out;
}
