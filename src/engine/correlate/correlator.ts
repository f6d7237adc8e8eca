// The fleet correlator: folds every event into compact per-dimension aggregates and, at `now`,
// reports the incidents active then — one cause shared by many terminals, in the narrowest scope.

import type { Incident, PosEvent, Registry } from '../../domain/index.ts';
import { HOUR } from './buckets.ts';
import { FleetIndex } from './fleet.ts';
import { announcedHosts, announcedMaintenance, slowHosts, unannouncedMaintenance } from './host.incidents.ts';
import { HostTracker } from './host.ts';
import { IssuerTracker } from './issuer.ts';
import { LivenessTracker } from './liveness.ts';
import { carrierOutages } from './outage.ts';
import { UpdateTracker } from './update.ts';

export interface FleetCorrelator {
  observe(event: PosEvent): void;
  setRegistry(registry: Registry): void;
  /** Active incidents at `now` (epoch ms), with evidence in English and Chinese. */
  incidents(now: number): Incident[];
}

const CAUSE_ORDER = ['provider.maintenance', 'provider.issuer_down', 'net.host_slow', 'net.carrier_outage', 'sw.incompatible_update'];

export function createCorrelator(registry: Registry): FleetCorrelator {
  const fleet = new FleetIndex(registry);
  const live = new LivenessTracker(fleet);
  const hosts = new HostTracker(fleet);
  const issuers = new IssuerTracker();
  const updates = new UpdateTracker(fleet);
  let pruned = -Infinity;

  function prune(now: number): void {
    if (now - pruned < 10 * 60_000) return;
    pruned = now;
    live.prune(now - 13 * HOUR);
    hosts.prune(now - 2 * HOUR);
    updates.prune(now - 24 * HOUR);
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
      const found = [
        ...maintenance,
        ...issuers.incidents(now, (t) => inMaintenance.has(t)),
        ...slow,
        ...carrierOutages(live, now, hostWide),
        ...updates.incidents(now),
      ];
      return found.sort((a, b) => CAUSE_ORDER.indexOf(a.cause) - CAUSE_ORDER.indexOf(b.cause) || (a.id ?? '').localeCompare(b.id ?? ''));
    },
  };
}
