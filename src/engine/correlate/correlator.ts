// The fleet correlator: folds every event into compact per-dimension aggregates and, at `now`,
// reports the incidents active then — one cause shared by many terminals, in the narrowest scope.

import type { Incident, PosEvent, Registry } from '../../domain/index.ts';
import { HOUR } from './buckets.ts';
import { FleetIndex } from './fleet.ts';
import { announcedHosts, announcedMaintenance, slowHosts, unannouncedMaintenance } from './host.incidents.ts';
import { HostTracker, type HostSnapshot } from './host.ts';
import { IssuerTracker, type IssuerSnapshot } from './issuer.ts';
import { LivenessTracker, livenessRows, restoreLiveness, type LivenessRow, type RowIndex } from './liveness.ts';
import { carrierOutages } from './outage.ts';
import { UpdateTracker, type UpdateSnapshot } from './update.ts';

export interface FleetCorrelator {
  observe(event: PosEvent): void;
  setRegistry(registry: Registry): void;
  /** Active incidents at `now` (epoch ms), with evidence in English and Chinese. */
  incidents(now: number): Incident[];
  /** Plain JSON of everything folded so far; give it back to createCorrelator(registry, snapshot). */
  snapshot(): unknown;
}

interface CorrelatorSnapshot {
  v: 1;
  pruned: number | null;
  live: LivenessRow[];
  hosts: HostSnapshot;
  issuers: IssuerSnapshot;
  updates: UpdateSnapshot;
}

const CAUSE_ORDER = ['provider.maintenance', 'provider.issuer_down', 'net.host_slow', 'net.carrier_outage', 'sw.incompatible_update'];

/**
 * `snapshot`: what snapshot() returned (after a JSON round trip); anything else starts empty.
 * `rows`: where to keep each terminal's row number (the engine keeps it on its terminal state).
 */
export function createCorrelator(registry: Registry, snapshot?: unknown, rows?: RowIndex): FleetCorrelator {
  const fleet = new FleetIndex(registry);
  const live = new LivenessTracker(fleet, rows);
  const hosts = new HostTracker(fleet);
  const issuers = new IssuerTracker();
  const updates = new UpdateTracker(fleet);
  let pruned = -Infinity;
  const snap = snapshot as CorrelatorSnapshot | undefined;
  if (snap?.v === 1) {
    restoreLiveness(live, snap.live);
    hosts.restore(snap.hosts);
    issuers.restore(snap.issuers);
    updates.restore(snap.updates);
    pruned = snap.pruned ?? -Infinity;
  }

  function prune(now: number): void {
    if (now - pruned < 10 * 60_000) return;
    pruned = now;
    live.prune(now - 13 * HOUR);
    hosts.prune(now - 2 * HOUR);
    updates.prune(now - 24 * HOUR);
  }

  /** Whether the terminal's host was in an announced maintenance window at `ts` (its 91s then are the host's). */
  function inWindow(terminal: string, ts: number): boolean {
    const host = fleet.hostOf(terminal);
    return fleet.maintenance.some((w) => (!w.host || w.host === host) && Date.parse(w.start) <= ts && ts < Date.parse(w.end));
  }

  return {
    observe(event) {
      live.observe(event);
      hosts.observe(event);
      issuers.observe(event);
      updates.observe(event);
    },
    setRegistry(next) {
      fleet.load(next);
      live.recount();
    },
    incidents(now) {
      prune(now);
      const announced = new Set(announcedHosts(fleet, now, 30 * 60_000).keys());
      const maintenance = [...announcedMaintenance(fleet, live, hosts, now), ...unannouncedMaintenance(hosts, now, announced)];
      const inMaintenance = new Set(maintenance.flatMap((i) => i.terminals));
      const slow = slowHosts(hosts, now, announced);
      const hostWide = new Set([...inMaintenance, ...slow.flatMap((i) => i.terminals)]);
      const others = [...maintenance, ...slow, ...carrierOutages(live, now, hostWide), ...updates.incidents(now, (t) => live.terminals.get(t)?.last)];
      // A terminal whose whole service is down or slow (or crashing) has that as its cause, even
      // if one of its cards also met the failing issuer.
      const explained = new Set(others.flatMap((i) => i.terminals));
      const found = [...others, ...issuers.incidents(now, (t, ts) => explained.has(t) || inWindow(t, ts))];
      return found.sort((a, b) => CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause) || (a.id ?? '').localeCompare(b.id ?? ''));
    },
    snapshot(): CorrelatorSnapshot {
      const finite = Number.isFinite(pruned) ? pruned : null;
      return { v: 1, pruned: finite, live: livenessRows(live), hosts: hosts.snapshot(), issuers: issuers.snapshot(), updates: updates.snapshot() };
    },
  };
}
