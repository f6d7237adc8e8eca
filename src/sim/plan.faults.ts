// Per-terminal faults of a random run: every cause at least once on a large enough fleet, a few
// more at random, and transient trouble that is over before the end.
import { CAUSE_CODES, type CauseCode, type Registry } from '../domain/index.ts';
import { DAY, HOUR, MINUTE, formatDate, localDayStart } from './clock.ts';
import { Rng, mixSeed } from './random.ts';
import type { Magnitude, PlannedFault, TerminalProfile } from './types.ts';
import { nextPowered } from './schedule.ts';
import { planDailyLimit } from './plan.limit.ts';
import { addIncident, emptyDraft, planCampaigns, planCarrierOutages, planHostIncidents, planIssuerDown, type PlanDraft } from './plan.incidents.ts';

export const INCIDENT_CAUSES: readonly CauseCode[] = [
  'net.carrier_outage', 'net.host_slow', 'provider.maintenance', 'provider.issuer_down', 'sw.incompatible_update',
];
export const TERMINAL_CAUSES: readonly CauseCode[] = CAUSE_CODES.filter((c) => !INCIDENT_CAUSES.includes(c));

/** Causes that are never subtle: a dead or silent terminal is plain to see. */
const ALWAYS_OBVIOUS = new Set<CauseCode>(['hw.power', 'net.offline', 'contract.expired', 'sec.tamper', 'hw.printer_paper']);
/** Causes present since before the run started (their evidence is in every event). */
const FROM_START = new Set<CauseCode>(['sw.outdated', 'acct.merchant_setup', 'op.input_error', 'op.card_handling']);

/** Whether a terminal can have this cause at all. */
export function suits(cause: CauseCode, p: TerminalProfile, merchantSize: Map<string, number>): boolean {
  switch (cause) {
    case 'hw.battery': return p.model.handheld;
    case 'net.weak_signal': return p.bearer !== 'ethernet';
    case 'env.humidity': return p.model.humiditySensor;
    case 'sw.app_conflict': return p.model.android;
    case 'op.input_error':
    case 'op.card_handling': return p.operators.length >= 2 && p.rate >= 4;
    case 'acct.merchant_setup': return merchantSize.get(p.merchant) === 1;
    case 'acct.limit_exceeded': return merchantSize.get(p.merchant) === 1 && p.rate >= 3;
    default: return true;
  }
}

/**
 * When a fault starts: while the terminal is switched on, so that it can show (a fault that began
 * while a shop was closed and never met a powered terminal left no trace at all before `at`).
 */
function onset(rng: Rng, cause: CauseCode, p: TerminalProfile, start: number, end: number): number {
  if (FROM_START.has(cause)) return start;
  const span = end - start;
  const lo = start + Math.min(span * 0.1, 2 * HOUR);
  const hi = Math.max(lo, end - Math.min(span * 0.2, 3 * HOUR));
  const at = Math.floor(rng.range(lo, hi) / 1000) * 1000;
  const on = nextPowered(p, at);
  if (on <= hi) return on;
  // switched off from `at` to the end of the window: its first powered moment in the window instead
  const first = nextPowered(p, lo);
  return first <= hi ? first : at;
}

/** contract.expired: the SIM (cellular) or lease ran out at a local midnight inside the run. */
function expireContract(f: PlannedFault, p: TerminalProfile, registry: Registry, start: number, end: number): void {
  let from = localDayStart(f.from) + DAY;
  if (from >= end - HOUR) from = localDayStart(f.from);
  if (from < start) from = start;
  f.from = from;
  const row = registry.terminals[p.index]!;
  const date = formatDate(from + 8 * HOUR - DAY);
  if (p.bearer === '4g') row.sim_expires = date;
  else row.lease_expires = date;
  f.detail = p.bearer === '4g' ? 'sim' : 'lease';
}

function causeList(rng: Rng, n: number): CauseCode[] {
  const extra = n >= 150 ? Math.max(0, Math.round(n * 0.09) - TERMINAL_CAUSES.length) : 0;
  const base = n >= 150 ? [...TERMINAL_CAUSES] : rng.shuffle([...TERMINAL_CAUSES]).slice(0, Math.max(1, Math.round(n * 0.12)));
  for (let i = 0; i < extra; i++) base.push(rng.pick(TERMINAL_CAUSES));
  return base;
}

function planTerminalFaults(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], registry: Registry, start: number, end: number): void {
  const merchantSize = new Map<string, number>();
  for (const p of profiles) merchantSize.set(p.merchant, (merchantSize.get(p.merchant) ?? 0) + 1);
  const updating = new Set(d.installs.map((i) => i.terminal));
  const free = rng.shuffle(profiles.filter((p) => !d.claimed.has(p.id)));
  for (const cause of causeList(rng, profiles.length)) {
    const i = free.findIndex((p) => suits(cause, p, merchantSize) && !(cause.startsWith('sw.') && updating.has(p.id)));
    if (i < 0) continue;
    const p = free.splice(i, 1)[0]!;
    const magnitude: Magnitude = ALWAYS_OBVIOUS.has(cause) || rng.chance(0.7) ? 'obvious' : 'subtle';
    const f: PlannedFault = { terminal: p.id, cause, from: onset(rng, cause, p, start, end), magnitude };
    if (cause.startsWith('op.')) f.operator = rng.pick(p.operators);
    if (cause === 'contract.expired') expireContract(f, p, registry, start, end);
    if (cause === 'acct.limit_exceeded') planDailyLimit(f, p, registry, end);
    d.claimed.add(p.id);
    d.faults.push(f);
  }
}

function planTransients(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], start: number, end: number): void {
  const free = rng.shuffle(profiles.filter((p) => !d.claimed.has(p.id)));
  const count = Math.min(free.length, Math.max(3, Math.round(profiles.length * 0.03)));
  const kinds: [string, CauseCode, number, number][] = [
    ['paper', 'hw.printer_paper', 20, 90], ['crashburst', 'sw.crash_loop', 20, 60], ['weak', 'net.weak_signal', 60, 180],
  ];
  for (let k = 0; k < count; k++) {
    const p = free[k]!;
    const [kind, cause, lo, hi] = kinds[k % kinds.length]!;
    if (cause === 'net.weak_signal' && p.bearer === 'ethernet') continue;
    const len = rng.int(lo, hi) * MINUTE;
    const to = end - rng.range(HOUR, Math.max(HOUR, (end - start) * 0.6));
    if (to - len < start) continue;
    d.faults.push({ terminal: p.id, cause, from: to - len, to, magnitude: 'obvious', transient: kind });
  }
}

/** The random mix: incidents, per-terminal faults, transients, campaigns and maintenance windows. */
export function planRandom(seed: number, profiles: TerminalProfile[], registry: Registry, start: number, end: number): PlanDraft {
  const rng = new Rng(mixSeed(seed, 0xfa017));
  const d = emptyDraft();
  if (profiles.length >= 20 && end - start >= 4 * HOUR) {
    planCarrierOutages(d, rng, profiles, start, end);
    planHostIncidents(d, rng, profiles, start, end);
    planIssuerDown(d, rng, profiles, end);
    planCampaigns(d, rng, profiles, start, end);
  }
  planTerminalFaults(d, rng, profiles, registry, start, end);
  planTransients(d, rng, profiles, start, end);
  return d;
}

export { addIncident };
