// The fleet correlator the engine uses (src/engine/correlate, written beside the engine).

export { createCorrelator, type FleetCorrelator } from './correlate/index.ts';
