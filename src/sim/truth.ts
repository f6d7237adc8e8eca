// truth.json: what is really wrong at the moment `at` (format of samples/README.md).
import { formatTs, localDayStart } from './clock.ts';
import { isPowered, nextPowered } from './schedule.ts';
import type { PlannedFault, SimFleet } from './types.ts';

export interface Truth {
  at: string;
  generator: string;
  profile: string;
  seed: number;
  window: { start: string; end: string };
  terminals: Record<string, string>;
  incidents: { cause: string; scope: Record<string, string>; terminals: string[]; since: string; note: string; bins?: string[] }[];
  faults: Record<string, { cause: string; since: string; magnitude: string; operator?: string }>;
  transients: { terminal: string; kinds: string[]; until: string }[];
  past: { cause: string; scope: Record<string, string>; since: string; until: string; terminals: number }[];
  notes: string[];
}

/**
 * What the truth needs of a simulated terminal: the 91 answers of an issuer outage it received,
 * and the first refusal over its daily limit of the latest day with one (0: none).
 */
export interface TruthSim {
  p: { id: string };
  issuerHits: number;
  issuerSince: number;
  limitRefusedAt: number;
}

/** Whether the terminal was switched on at some moment of [from, to]. */
export function poweredDuring(p: Parameters<typeof isPowered>[0], from: number, to: number): boolean {
  return nextPowered(p, from) <= to;
}

function activeAt(f: { from: number; to?: number }, at: number): boolean {
  return f.from <= at && (f.to === undefined || at < f.to);
}

interface Membership {
  own: Map<string, PlannedFault>;
  members: string[][];
  firstMember: number[];
}

/** Who is in which incident at `at`, and which terminals have an active fault of their own. */
function membership(fleet: SimFleet, sims: readonly TruthSim[], at: number): Membership {
  const byId = new Map(fleet.profiles.map((p) => [p.id, p]));
  const own = new Map<string, PlannedFault>();
  const members = fleet.incidents.map(() => [] as string[]);
  const firstMember = fleet.incidents.map(() => Infinity);
  for (const f of fleet.faults) {
    if (!activeAt(f, at) || f.transient) continue;
    if (f.incident === undefined) {
      own.set(f.terminal, f);
      continue;
    }
    // A terminal switched off for the whole outage, slow host or maintenance window was not caught
    // in it: it sent nothing that could show it (an incompatible update needs the terminal on anyway).
    if (f.cause !== 'sw.incompatible_update' && !poweredDuring(byId.get(f.terminal)!, f.from, at)) continue;
    members[f.incident]!.push(f.terminal);
    firstMember[f.incident] = Math.min(firstMember[f.incident]!, f.from);
  }
  const inIncident = new Set(members.flat());
  fleet.incidents.forEach((inc, k) => {
    if (!inc.bins) return;
    for (const s of sims) if (s.issuerHits > 0 && s.issuerSince >= inc.from && !own.has(s.p.id) && !inIncident.has(s.p.id)) members[k]!.push(s.p.id);
  });
  return { own, members, firstMember };
}

/**
 * A daily limit shows on at's China business day only, once that day's approved amount has reached
 * it: since that day's first refusal (after the onset, when the fault began later that day).
 * Otherwise the terminal is ok at `at` (the refusals of the evening before are over).
 */
function limitSince(refusedAt: number, at: number): number | undefined {
  return refusedAt > 0 && refusedAt <= at && localDayStart(refusedAt) === localDayStart(at) ? refusedAt : undefined;
}

function pastIncidents(fleet: SimFleet, at: number): Truth['past'] {
  const past: Truth['past'] = [];
  fleet.incidents.forEach((i, k) => {
    if (i.to === undefined || i.to > at) return;
    past.push({ cause: i.cause, scope: i.scope, since: formatTs(i.from), until: formatTs(i.to), terminals: fleet.faults.filter((f) => f.incident === k).length });
  });
  return past;
}

/** Builds the truth at `at` from the plan and what the simulated terminals saw. */
export function buildTruth(fleet: SimFleet, sims: readonly TruthSim[], at: number): Truth {
  const terminals: Record<string, string> = {};
  for (const p of fleet.profiles) terminals[p.id] = 'ok';
  const { own, members, firstMember } = membership(fleet, sims, at);
  const incidents: Truth['incidents'] = [];
  fleet.incidents.forEach((inc, k) => {
    if (!activeAt(inc, at) || members[k]!.length === 0) return;
    const list = members[k]!.sort();
    for (const id of list) terminals[id] = inc.cause;
    const since = formatTs(inc.cause === 'sw.incompatible_update' ? firstMember[k]! : inc.from);
    incidents.push({ cause: inc.cause, scope: inc.scope, terminals: list, since, note: inc.note, ...(inc.bins ? { bins: inc.bins } : {}) });
  });
  const faults: Truth['faults'] = {};
  const refused = new Map(sims.map((s) => [s.p.id, s.limitRefusedAt]));
  for (const [id, f] of [...own].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (terminals[id] !== 'ok') continue;
    const since = f.cause === 'acct.limit_exceeded' ? limitSince(refused.get(id) ?? 0, at) : f.from;
    if (since === undefined) continue;
    terminals[id] = f.cause;
    faults[id] = { cause: f.cause, since: formatTs(since), magnitude: f.magnitude, ...(f.operator ? { operator: f.operator } : {}) };
  }
  const transients = fleet.faults.filter((f) => f.incident === undefined && f.to !== undefined && f.to <= at)
    .map((f) => ({ terminal: f.terminal, kinds: [f.transient ?? f.cause], until: formatTs(f.to!) }));
  return {
    at: at % 1000 === 0 ? formatTs(at) : new Date(at).toISOString(), generator: 'posops-sim', profile: 'sim', seed: fleet.seed,
    window: { start: formatTs(fleet.start), end: formatTs(fleet.end) },
    terminals, incidents, faults, transients, past: pastIncidents(fleet, at), notes: [],
  };
}
