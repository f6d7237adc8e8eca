// Turns the faults of a scenario into the plan: times resolved against the run, terminals and
// scopes checked against the fleet, and contradictions (two faults on one terminal at once) refused.
import type { CauseCode, Registry } from '../domain/index.ts';
import { MINUTE, formatTs, parseDuration, parseScenarioTime } from './clock.ts';
import { Rng, mixSeed } from './random.ts';
import { nextPowered } from './schedule.ts';
import { faultWhere, scenarioInvalid as invalid } from './scenario.ts';
import type { PlannedFault, Scenario, ScenarioFault, TerminalProfile } from './types.ts';
import { ISSUERS } from './world.ts';
import { addIncident, bumpVersion, carrierMembers, emptyDraft, hostMembers, type PlanDraft } from './plan.incidents.ts';
import { INCIDENT_CAUSES } from './plan.faults.ts';
import { planDailyLimit } from './plan.limit.ts';

interface Ctx {
  d: PlanDraft;
  profiles: TerminalProfile[];
  byId: Map<string, TerminalProfile>;
  registry: Registry;
  start: number;
  end: number;
  rng: Rng;
}

function need(scope: Record<string, string> | undefined, keys: string[], at: string, cause: string): Record<string, string> {
  for (const k of keys) if (!scope?.[k]) invalid(`${at}: ${cause} needs scope.${k} (scope: {${keys.map((x) => `"${x}":…`).join(',')}})`);
  return scope!;
}

function addScoped(c: Ctx, f: ScenarioFault, at: string, from: number, to: number | undefined): void {
  const cause = f.cause as CauseCode;
  const magnitude = f.magnitude ?? 'obvious';
  if (cause === 'net.carrier_outage') {
    const s = need(f.scope, ['carrier', 'region'], at, cause);
    const members = carrierMembers(c.profiles, s['carrier']!, s['region']!);
    if (members.length === 0) invalid(`${at}: no cellular terminal uses carrier ${s['carrier']} in region ${s['region']}`);
    addIncident(c.d, { cause, scope: { carrier: s['carrier']!, region: s['region']! }, from, to, magnitude, note: `${s['carrier']} outage in ${s['region']}` }, members);
  } else if (cause === 'net.host_slow' || cause === 'provider.maintenance') {
    const s = need(f.scope, ['host'], at, cause);
    const members = hostMembers(c.profiles, s['host']!);
    if (members.length === 0) invalid(`${at}: no terminal talks to host "${s['host']}"`);
    const announced = cause === 'provider.maintenance' && f.announced !== false;
    if (announced) c.registry.maintenance.push({ start: formatTs(from), end: formatTs(to ?? c.end + 2 * 60 * MINUTE), host: s['host'], note: 'scheduled maintenance' });
    addIncident(c.d, { cause, scope: { host: s['host']! }, from, to, magnitude, announced, note: `${cause} on ${s['host']}` }, members);
  } else if (cause === 'provider.issuer_down') {
    const s = need(f.scope, ['bin'], at, cause);
    const bins = ISSUERS.flatMap((i) => i.bins).filter((b) => b.startsWith(s['bin']!));
    if (bins.length === 0) invalid(`${at}: no issuer in the simulated world has BINs starting with ${s['bin']} (try 62266 or 62290)`);
    c.d.incidents.push({ cause, scope: { bin: s['bin']! }, from, to, magnitude, bins, note: `bins ${s['bin']}x answer 91` });
  } else if (cause === 'sw.incompatible_update') {
    addBadUpdate(c, f, at, from);
  } else invalid(`${at}: ${cause} is a per-terminal cause: give "terminal" instead of "scope"`);
}

function addBadUpdate(c: Ctx, f: ScenarioFault, at: string, from: number): void {
  const s = need(f.scope, ['model'], at, 'sw.incompatible_update');
  const members = c.profiles.filter((p) => p.model.model === s['model']);
  if (members.length === 0) invalid(`${at}: no terminal of model "${s['model']}" in the fleet`);
  const model = members[0]!.model;
  const version = s['firmware'] ?? bumpVersion(model.firmware[model.firmware.length - 1]!);
  const campaign = s['campaign'] ?? `CMP-FW-${String(c.d.badVersions.length + 1).padStart(2, '0')}`;
  const index = c.d.incidents.push({ cause: 'sw.incompatible_update', scope: { model: model.model, campaign, firmware: version }, from,
    magnitude: f.magnitude ?? 'obvious', note: `firmware ${version} breaks ${model.model}` }) - 1;
  c.d.badVersions.push({ model: model.model, component: 'firmware', version, campaign });
  for (const p of members) {
    if (c.d.claimed.has(p.id)) continue;
    const when = nextPowered(p, from + c.rng.int(0, 30) * MINUTE);
    c.d.claimed.add(p.id);
    c.d.installs.push({ terminal: p.id, campaign, component: 'firmware', to: version, at: when, outcome: 'installed', bad: true });
    c.d.faults.push({ terminal: p.id, cause: 'sw.incompatible_update', from: when + 11 * MINUTE, magnitude: f.magnitude ?? 'obvious', incident: index });
  }
}

function addTerminalFault(c: Ctx, f: ScenarioFault, at: string, from: number, to: number | undefined): void {
  const p = c.byId.get(f.terminal!);
  if (!p) invalid(`${at}: terminal ${f.terminal} is not in the fleet (${c.profiles[0]?.id}…${c.profiles[c.profiles.length - 1]?.id})`);
  const cause = f.cause as CauseCode;
  const fault: PlannedFault = { terminal: p.id, cause, from, to, magnitude: f.magnitude ?? 'obvious' };
  if (cause.startsWith('op.')) {
    fault.operator = f.operator ?? p.operators[0]!;
    if (!p.operators.includes(fault.operator)) invalid(`${at}: terminal ${p.id} has no operator "${fault.operator}" (it has ${p.operators.join(', ')})`);
  }
  if (cause === 'contract.expired') {
    const row = c.registry.terminals[p.index]!;
    const date = formatTs(from - 24 * 60 * MINUTE).slice(0, 10);
    if (p.bearer === '4g') row.sim_expires = date;
    else row.lease_expires = date;
  }
  if (cause === 'acct.limit_exceeded') planDailyLimit(fault, p, c.registry, c.end);
  c.d.claimed.add(p.id);
  c.d.faults.push(fault);
}

function checkOverlaps(faults: { f: PlannedFault; i: number }[], lines: number[] | undefined): void {
  const byTerminal = new Map<string, { f: PlannedFault; i: number }[]>();
  for (const x of faults) byTerminal.set(x.f.terminal, [...(byTerminal.get(x.f.terminal) ?? []), x]);
  for (const list of byTerminal.values()) {
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        const x = list[a]!;
        const y = list[b]!;
        if (x.f.from < (y.f.to ?? Infinity) && y.f.from < (x.f.to ?? Infinity)) {
          invalid(`${faultWhere(y.i, lines)}: terminal ${y.f.terminal} already has ${x.f.cause} from ${faultWhere(x.i, lines)} at the same time; one terminal has one fault at a time`);
        }
      }
    }
  }
}

/** Resolves a scenario's faults into a plan. */
export function planScenario(scenario: Scenario, seed: number, profiles: TerminalProfile[], registry: Registry, start: number, end: number): PlanDraft {
  const c: Ctx = { d: emptyDraft(), profiles, byId: new Map(profiles.map((p) => [p.id, p])), registry, start, end, rng: new Rng(mixSeed(seed, 0x5ce7)) };
  const lines = scenario.faultLines;
  const own: { f: PlannedFault; i: number }[] = [];
  (scenario.faults ?? []).forEach((f, i) => {
    const at = faultWhere(i, lines);
    const from = parseScenarioTime(f.at, start);
    if (from === undefined) invalid(`${at}: "at" is not a time: ${JSON.stringify(f.at)} (use "14:00", "d2 14:00", "+2h" or an RFC 3339 timestamp)`);
    if (from < start || from > end) invalid(`${at}: "at" ${formatTs(from)} is outside the run (${formatTs(start)} to ${formatTs(end)})`);
    const dur = f.duration === undefined ? undefined : parseDuration(f.duration);
    if (f.duration !== undefined && (dur === undefined || dur <= 0)) invalid(`${at}: "duration" is not a duration: ${JSON.stringify(f.duration)} (use "40m", "2h", "1d")`);
    const to = dur === undefined ? undefined : from + dur;
    if (f.terminal !== undefined) {
      addTerminalFault(c, f, at, from, to);
      own.push({ f: c.d.faults[c.d.faults.length - 1]!, i });
    } else if (INCIDENT_CAUSES.includes(f.cause as CauseCode)) addScoped(c, f, at, from, to);
    else invalid(`${at}: ${f.cause} is a per-terminal cause: give "terminal"`);
  });
  checkOverlaps(own, lines);
  return c.d;
}
