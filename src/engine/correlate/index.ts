// Fleet correlation: one cause behind many terminals (carrier+region, host, issuer BIN range,
// model/firmware/campaign). Pure: no I/O, no clock reads; time comes in as `now`.

export { createCorrelator, type FleetCorrelator } from './correlator.ts';
export { diffIncidents, incidentId, type IncidentChange, type IncidentChangeKind } from './lifecycle.ts';
