// Ingest: one code path behind every transport (HTTP, MQTT, files) into the event log.
export type { IngestResult, IngestSource, IngestStats, Ingestor, IngestorOptions, Transport, TransportCounts } from './ingest.types.ts';
export { TRANSPORTS } from './ingest.types.ts';
export { createIngestor } from './ingest.service.ts';
export { DEFAULT_MAX_LINE_BYTES, decodeItem, lineTooLong } from './event.decode.ts';
export { readNdjsonBatches, readNdjsonFile, type NdjsonLine, type NdjsonReadOptions } from './ndjson.file.ts';
export { decodeLogRecord, readEvents } from './replay.ts';
export { importNdjsonFile, type FileImportOptions, type FileImportResult } from './ndjson.import.ts';
export { importWorkers } from './ndjson.import.ts';
export type { CheckedBatch } from './ingest.types.ts';
export { defaultLineWorkers, digestLineChunks, readLineChunks, type LineChunk, type LinePoolOptions, type LineTask } from './line-pool.ts';
