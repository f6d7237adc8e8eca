// The fleet correlator the engine uses. Until src/engine/correlate/index.ts lands this is a
// no-op behind the same interface.

import type { Incident, PosEvent, Registry } from '../domain/index.ts';

export interface FleetCorrelator {
  observe(event: PosEvent): void;
  setRegistry(registry: Registry): void;
  incidents(now: number): Incident[];
}

export function createCorrelator(_registry: Registry): FleetCorrelator {
  return { observe() {}, setRegistry() {}, incidents: () => [] };
}
