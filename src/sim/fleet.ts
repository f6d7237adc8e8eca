// generateFleet: the whole simulated world for a run, decided up front from the seed (fleet,
// registry, faults, incidents, campaigns). Running it (files or live) is separate.
import { PosopsError } from '../domain/index.ts';
import { DAY } from './clock.ts';
import { buildFleet } from './fleet.build.ts';
import { planRandom } from './plan.faults.ts';
import { planScenario } from './plan.scenario.ts';
import type { PlanDraft } from './plan.incidents.ts';
import { TerminalSim, type SimWorld } from './terminal.ts';
import type { Sink } from './terminal.events.ts';
import type { Scenario, SimFleet } from './types.ts';

/** Default start: the run ends at 14:00 China time, when shops are open. */
export const DEFAULT_START = '2026-11-20T06:00:00Z';

export interface FleetOptions {
  terminals: number;
  seed: number;
  start?: string;
  days: number;
  scenario?: Scenario;
  /** Prefix of terminal IDs (default "T"): T1000001, T1000002, … */
  prefix?: string;
}

function invalid(message: string): never {
  throw new PosopsError('SIM_OPTIONS_INVALID', message);
}

function checkOptions(o: FleetOptions): number {
  if (!Number.isInteger(o.terminals) || o.terminals < 1 || o.terminals > 10_000_000) invalid(`terminals must be a whole number from 1 to 10000000, got ${o.terminals}`);
  if (!Number.isInteger(o.seed)) invalid(`seed must be a whole number, got ${o.seed}`);
  if (!(o.days > 0) || o.days > 366) invalid(`days must be above 0 and at most 366, got ${o.days}`);
  if (o.prefix !== undefined && !/^[A-Za-z0-9._-]{0,40}$/.test(o.prefix)) invalid('prefix must be up to 40 characters of A-Z a-z 0-9 . _ -');
  const startText = o.start ?? o.scenario?.start ?? DEFAULT_START;
  const start = Date.parse(startText);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(startText) || Number.isNaN(start)) invalid(`start must be an RFC 3339 timestamp such as 2026-11-20T06:00:00Z, got "${startText}"`);
  return Math.floor(start / 1000) * 1000;
}

function mergeScenario(random: PlanDraft | undefined, scripted: PlanDraft): PlanDraft {
  if (!random) return scripted;
  const taken = new Set(scripted.faults.map((f) => f.terminal));
  const offset = random.incidents.length;
  return {
    faults: [...random.faults.filter((f) => !taken.has(f.terminal)), ...scripted.faults.map((f) => (f.incident === undefined ? f : { ...f, incident: f.incident + offset }))],
    incidents: [...random.incidents, ...scripted.incidents],
    installs: [...random.installs.filter((i) => !taken.has(i.terminal)), ...scripted.installs],
    maintenance: [...random.maintenance, ...scripted.maintenance],
    badVersions: [...random.badVersions, ...scripted.badVersions],
    claimed: new Set([...random.claimed, ...scripted.claimed]),
  };
}

/** Decides the whole run from the seed. Pure: no I/O, no clock. */
export function generateFleet(opts: FleetOptions): SimFleet {
  const start = checkOptions(opts);
  const end = start + Math.round(opts.days * DAY);
  const { profiles, registry } = buildFleet(opts.seed, opts.terminals, start, end, opts.prefix ?? 'T');
  const sc = opts.scenario;
  const scripted = sc?.faults?.length ? sc : undefined;
  const random = !scripted || sc?.random ? planRandom(opts.seed, profiles, registry, start, end) : undefined;
  const plan = scripted ? mergeScenario(random, planScenario(scripted, opts.seed, profiles, registry, start, end)) : random!;
  registry.maintenance.push(...plan.maintenance);
  return { seed: opts.seed, start, end, registry, profiles, faults: plan.faults, incidents: plan.incidents, installs: plan.installs, badVersions: plan.badVersions };
}

export function simWorld(fleet: SimFleet): SimWorld {
  return {
    binOutages: fleet.incidents.filter((i) => i.bins).map((i) => ({ from: i.from, to: i.to ?? Infinity, bins: new Set(i.bins), witnesses: new Set(i.witnesses) })),
    badVersions: fleet.badVersions,
  };
}

function groupByTerminal<T extends { terminal: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const list = out.get(x.terminal);
    if (list) list.push(x);
    else out.set(x.terminal, [x]);
  }
  return out;
}

/** One TerminalSim per terminal, each writing to the sink `sinkFor` gives it. */
export function createTerminalSims(fleet: SimFleet, sinkFor: (terminal: string) => Sink, start = fleet.start): TerminalSim[] {
  const faults = groupByTerminal(fleet.faults);
  const installs = groupByTerminal(fleet.installs);
  const world = simWorld(fleet);
  return fleet.profiles.map((p) => new TerminalSim(p, faults.get(p.id) ?? [], installs.get(p.id) ?? [], world, start, sinkFor(p.id)));
}
