// The event log: the durable, replayable source of truth for raw events.
export type { EventLog, LogRecord, LogRecovery, SegmentLog, SegmentLogOptions } from './log.types.ts';
export { openSegmentLog } from './segment-log.ts';
export { openJetStreamLog, terminalPartition, type JetStreamLogOptions } from './jetstream-log.ts';
