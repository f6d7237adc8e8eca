// The engine's public face: pure per-terminal state, detectors and diagnoses.

export { createEngine, engineSnapshotUsable, type Engine } from './engine.ts';
export type { DiagnosisChange } from './changes.ts';
export type { FleetCorrelator } from './correlator.ts';
export { REPORT_THRESHOLD } from './diagnose.ts';
export { engineView, UNREAD_FIELDS } from './event.fields.ts';
export { DETECTORS, type Candidate, type Detector, type DetectorInput } from './detectors/index.ts';
