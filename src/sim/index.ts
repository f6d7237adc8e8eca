// The virtual fleet: generate a fleet with faults from a seed, write it to files, or drive a
// running server live. This is the only module other folders import.
export { generateFleet, createTerminalSims, DEFAULT_START, type FleetOptions } from './fleet.ts';
export { writeSimFiles, type SimProgress } from './files.ts';
export { parseScenario } from './scenario.ts';
export { buildTruth, type Truth } from './truth.ts';
export { startLiveFleet, type LiveOptions, type LiveFleet } from './live.ts';
export type { SimFleet, Scenario, ScenarioFault, PlannedFault, PlannedIncident, TerminalProfile, Magnitude } from './types.ts';
