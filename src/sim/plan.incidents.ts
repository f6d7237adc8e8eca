// The five fleet incidents of a random run (carrier outage, slow host, announced maintenance,
// issuer down, incompatible update), a past outage, and a healthy software campaign.
import type { MaintenanceWindow } from '../domain/index.ts';
import { HOUR, MINUTE, formatTs } from './clock.ts';
import { Rng } from './random.ts';
import { isOpen, nextPowered } from './schedule.ts';
import type { PlannedFault, PlannedIncident, PlannedInstall, TerminalProfile } from './types.ts';
import { CARRIERS, ISSUERS, REGIONS } from './world.ts';

export interface PlanDraft {
  faults: PlannedFault[];
  incidents: PlannedIncident[];
  installs: PlannedInstall[];
  maintenance: MaintenanceWindow[];
  badVersions: { model: string; component: 'firmware' | 'app'; version: string; campaign: string }[];
  /** Terminals already taken by an incident or a fault. */
  claimed: Set<string>;
}

export function emptyDraft(): PlanDraft {
  return { faults: [], incidents: [], installs: [], maintenance: [], badVersions: [], claimed: new Set() };
}

/** Adds an incident and one member fault per terminal not yet claimed; returns the member count. */
export function addIncident(d: PlanDraft, inc: PlannedIncident, members: TerminalProfile[], transient?: string): number {
  const index = d.incidents.push(inc) - 1;
  let n = 0;
  for (const p of members) {
    if (d.claimed.has(p.id)) continue;
    if (!transient) d.claimed.add(p.id);
    d.faults.push({ terminal: p.id, cause: inc.cause, from: inc.from, to: inc.to, magnitude: inc.magnitude, incident: index, transient });
    n++;
  }
  return n;
}

export function carrierMembers(profiles: TerminalProfile[], carrier: string, region: string): TerminalProfile[] {
  return profiles.filter((p) => p.bearer === '4g' && p.carrier.name === carrier && p.region.name === region);
}

export function hostMembers(profiles: TerminalProfile[], host: string): TerminalProfile[] {
  return profiles.filter((p) => p.host.host === host);
}

/** Whether the terminal is switched on at some moment of [from, to]. */
function onDuring(p: TerminalProfile, from: number, to: number): boolean {
  return nextPowered(p, from) <= to;
}

/** The carrier+region pair whose cellular terminals switched on during [from, to] (the only ones an
 * outage can show on) are closest to `target` in number, skipping `avoid`. */
function pickCarrierRegion(profiles: TerminalProfile[], target: number, from: number, to: number, avoid?: string): { carrier: string; region: string } | undefined {
  let best: { carrier: string; region: string; score: number } | undefined;
  for (const c of CARRIERS) {
    for (const r of REGIONS) {
      if (`${c.name}/${r.name}` === avoid) continue;
      const n = carrierMembers(profiles, c.name, r.name).filter((p) => onDuring(p, from, to)).length;
      if (n < 2) continue;
      const score = Math.abs(n - target);
      if (!best || score < best.score) best = { carrier: c.name, region: r.name, score };
    }
  }
  return best;
}

export function planCarrierOutages(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], start: number, end: number): void {
  const target = Math.max(3, Math.round(profiles.length * 0.02));
  const from = end - rng.int(40, 120) * MINUTE;
  const now = pickCarrierRegion(profiles, target, from, end);
  if (!now) return;
  addIncident(d, { cause: 'net.carrier_outage', scope: { carrier: now.carrier, region: now.region }, from, magnitude: 'obvious',
    note: `cellular (4g) ${now.carrier} terminals in ${now.region} lost the network` }, carrierMembers(profiles, now.carrier, now.region));
  const pastEnd = end - rng.int(5, 18) * HOUR;
  const pastFrom = pastEnd - rng.int(30, 90) * MINUTE;
  const past = pickCarrierRegion(profiles, target, pastFrom, pastEnd, `${now.carrier}/${now.region}`);
  if (!past || pastFrom < start) return;
  addIncident(d, { cause: 'net.carrier_outage', scope: { carrier: past.carrier, region: past.region }, from: pastFrom, to: pastEnd,
    magnitude: 'obvious', note: 'past outage, over before the end' }, carrierMembers(profiles, past.carrier, past.region), 'outage');
}

export function planHostIncidents(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], start: number, end: number): void {
  // The busiest small host slows down, the next one is in maintenance: both big enough to see.
  const small = rng.shuffle(['bank-dx1', 'bank-dx2', 'bank-zs']).sort((a, b) => hostMembers(profiles, b).length - hostMembers(profiles, a).length);
  const slowHost = small[0]!;
  const mult = rng.range(4.5, 7);
  addIncident(d, { cause: 'net.host_slow', scope: { host: slowHost }, from: end - rng.int(60, 150) * MINUTE, magnitude: 'obvious',
    note: `host ${slowHost} responds ${mult.toFixed(1)}x slower` }, hostMembers(profiles, slowHost));
  const mHost = small[1]!;
  const from = end - rng.int(20, 60) * MINUTE;
  const to = end + rng.int(40, 120) * MINUTE;
  d.maintenance.push({ start: formatTs(from), end: formatTs(to), host: mHost, note: 'scheduled maintenance: switch software upgrade' });
  addIncident(d, { cause: 'provider.maintenance', scope: { host: mHost }, from, to, magnitude: 'obvious', announced: true,
    note: `announced maintenance of ${mHost}` }, hostMembers(profiles, mHost));
  // A night window that is over: inside a long run its terminals really answered 91/96 during it.
  const pastFrom = Math.max(start - 20 * HOUR, end - 40 * HOUR);
  d.maintenance.push({ start: formatTs(pastFrom), end: formatTs(pastFrom + 2 * HOUR), host: 'cup-main', note: 'night maintenance window' });
  if (pastFrom >= start) {
    addIncident(d, { cause: 'provider.maintenance', scope: { host: 'cup-main' }, from: pastFrom, to: pastFrom + 2 * HOUR, magnitude: 'obvious', announced: true,
      note: 'night maintenance window, over before the end' }, hostMembers(profiles, 'cup-main'), 'maintenance');
  }
  d.maintenance.push({ start: formatTs(end + 8 * HOUR), end: formatTs(end + 10 * HOUR), host: 'acq-main', note: 'planned maintenance (announced, not yet started)' });
}

/** One issuer answers 91 near the end; longer on small fleets so that some terminals see it. */
export function planIssuerDown(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], end: number): void {
  const name = rng.pick(['CEB', 'CIB', 'SPDB']);
  const issuer = ISSUERS.find((i) => i.name === name)!;
  const prefix = issuer.bins[0]!.slice(0, 5);
  const bins = issuer.bins.filter((b) => b.startsWith(prefix));
  const minutes = Math.min(120, Math.max(15, Math.round((rng.int(15, 35) * 300) / profiles.length)));
  const from = end - minutes * MINUTE;
  // Two busy terminals, open at the end and without trouble of their own, certainly meet such a card.
  const witnesses = rng.shuffle(profiles.filter((p) => !d.claimed.has(p.id) && p.rate >= 4 && isOpen(p, from) && isOpen(p, end - MINUTE))).slice(0, 2);
  d.incidents.push({ cause: 'provider.issuer_down', scope: { bin: prefix }, from, magnitude: 'obvious', bins, witnesses: witnesses.map((p) => p.id),
    note: `issuer ${issuer.name} (bins ${prefix}x) answers 91` });
}

/** Bumps the minor part of a version: 1.6.0 → 1.7.0. */
export function bumpVersion(v: string): string {
  const parts = v.split('.').map(Number);
  return `${parts[0]}.${(parts[1] ?? 0) + 1}.0`;
}

export function planCampaigns(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], start: number, end: number): void {
  const models = [...new Set(profiles.map((p) => p.model))];
  const byModel = (m: (typeof models)[number]) => profiles.filter((p) => p.model === m && !d.claimed.has(p.id));
  const candidates = models.filter((m) => byModel(m).length >= 3);
  if (candidates.length === 0) return;
  const badModel = rng.pick(candidates);
  const version = bumpVersion(badModel.firmware[badModel.firmware.length - 1]!);
  const campaign = 'CMP-FW-01';
  const from = Math.max(start + HOUR, end - rng.int(3, 8) * HOUR);
  // The campaign reaches terminals switched on before the end (at night, the shops left on first).
  const reachable = (p: TerminalProfile) => onDuring(p, from, end - 85 * MINUTE);
  const targets = rng.shuffle(byModel(badModel)).sort((a, b) => Number(reachable(b)) - Number(reachable(a))).slice(0, Math.max(3, Math.round(profiles.length * 0.015)));
  const index = d.incidents.push({ cause: 'sw.incompatible_update', scope: { model: badModel.model, campaign, firmware: version }, from,
    magnitude: 'obvious', note: `firmware ${version} crashes on ${badModel.model}` }) - 1;
  d.badVersions.push({ model: badModel.model, component: 'firmware', version, campaign });
  for (const p of targets) {
    const at = nextPowered(p, from + rng.int(0, 60) * MINUTE) + rng.int(1, 20) * MINUTE;
    if (at > end - 20 * MINUTE) continue;
    d.claimed.add(p.id);
    d.installs.push({ terminal: p.id, campaign, component: 'firmware', to: version, at, outcome: 'installed', bad: true });
    d.faults.push({ terminal: p.id, cause: 'sw.incompatible_update', from: at + 11 * MINUTE, magnitude: 'obvious', incident: index });
  }
  planHealthyCampaign(d, rng, profiles, start, end, candidates.filter((m) => m !== badModel));
}

function planHealthyCampaign(d: PlanDraft, rng: Rng, profiles: TerminalProfile[], start: number, end: number, models: TerminalProfile['model'][]): void {
  if (models.length === 0) return;
  const model = rng.pick(models);
  const version = bumpVersion(model.app[model.app.length - 1]!);
  for (const p of profiles) {
    if (p.model !== model || !rng.chance(0.5)) continue;
    const at = nextPowered(p, rng.range(start, end - HOUR));
    if (at >= end) continue;
    d.installs.push({ terminal: p.id, campaign: 'CMP-APP-01', component: 'app', to: version, at, outcome: rng.chance(0.05) ? 'retried' : 'installed', bad: false });
  }
}
