// The ingest contract: one code path behind every transport (HTTP, MQTT, files).
import type { PosEvent } from '../domain/index.ts';

export type Transport = 'http' | 'mqtt' | 'file';
export const TRANSPORTS: readonly Transport[] = ['http', 'mqtt', 'file'];

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
}

export interface IngestSource {
  transport: Transport;
  /** When set, only events of this terminal are accepted (authenticated terminal). */
  terminal?: string;
}

export interface TransportCounts {
  accepted: number;
  duplicates: number;
  rejected: number;
}

export interface IngestStats {
  byTransport: Record<Transport, TransportCounts>;
  /** Accepted events waiting to be made durable. */
  queueDepth: number;
  logBytes: number;
  /** Keys (terminal+id) held for duplicate detection. */
  dedupeKeys: number;
}

export interface Ingestor {
  /**
   * items: raw NDJSON lines (string or Buffer) or already-parsed JSON values. Validates, dedupes
   * (terminal+id, also across restarts), appends accepted events to the log; resolves once they
   * are durable. Throws PosopsError('INGEST_OVERLOADED') when the pending queue is over its limit.
   */
  ingest(items: readonly unknown[], source: IngestSource): Promise<IngestResult>;
  /**
   * Called for every accepted, durable event, in log order. Returns an unsubscribe function.
   * A listener hears the events of ingest() calls made after it subscribed.
   */
  onEvent(listener: (event: PosEvent, offset: number) => void): () => void;
  stats(): IngestStats;
  /**
   * Lines validated elsewhere (the line pool of file imports): dedupes and appends `stored` as
   * they are; resolves once durable. Listeners still hear every event (the lines are parsed again
   * for them only when one is subscribed).
   */
  ingestChecked?(batch: CheckedBatch, source: IngestSource): Promise<IngestResult>;
  /** Waits for pending appends and refuses new ones. The log stays open: whoever opened it closes it. */
  close(): Promise<void>;
}

/** Valid events as raw lines with their terminal and id (same order). */
export interface CheckedBatch {
  stored: Buffer[];
  terminals: string[];
  ids: string[];
}

export interface IngestorOptions {
  log: import('../log/index.ts').EventLog;
  /** Accepted events waiting for the log before ingest() throws INGEST_OVERLOADED. Default 200,000. */
  maxQueue?: number;
  /** How long terminal+id is remembered to drop a re-sent event. Default 7 days. */
  dedupeWindowMs?: number;
  /** Longest raw line taken, in bytes. Default 64 KiB. */
  maxLineBytes?: number;
  /** Clock (ms), injectable for tests. */
  now?: () => number;
}
