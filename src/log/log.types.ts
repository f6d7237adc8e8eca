// The event log contract (shared with other implementations, e.g. NATS JetStream).

export interface LogRecord {
  /** Global, monotonically increasing record position. */
  offset: bigint | number;
  data: Buffer;
  /** When the record was appended (ms), where the log keeps it. */
  appendedAt?: number;
}

export interface EventLog {
  /** Appends records (each one serialized event, JSON without trailing newline); resolves after fsync (group commit: concurrent appends share one fsync). */
  append(records: readonly (string | Buffer)[]): Promise<void>;
  /** Reads records with offset >= from, in order, across segments (those durable when read() is called). */
  read(from?: number): AsyncIterable<LogRecord>;
  /** Offset the next appended record gets. */
  nextOffset(): number;
  /** Total bytes on disk. */
  bytes(): number;
  /** Flushes and fsyncs. */
  close(): Promise<void>;
  /** Oldest offset that may hold records appended at or after `timeMs` (optional: lets a reader skip old segments). */
  offsetSince?(timeMs: number): number;
}

export interface SegmentLogOptions {
  /** A segment is closed and a new one started when a write would take it past this size. Default 64 MiB. */
  segmentBytes?: number;
  /** Whole segments whose records are all older than this are deleted. Default 30 days. */
  retentionMs?: number;
  /** Clock (ms), injectable for tests. */
  now?: () => number;
}

/** What opening the log cut off the end of the last segment (a torn or corrupt tail). */
export interface LogRecovery {
  segment: string;
  truncatedBytes: number;
  reason: 'partial' | 'corrupt';
  /** Records kept in that segment. */
  keptRecords: number;
}

export interface SegmentLog extends EventLog {
  /** Set when opening cut a torn or corrupt tail. */
  readonly recovery: LogRecovery | undefined;
  /** Offset up to which records are durable (fsynced). */
  durableOffset(): number;
  /** Offset of the oldest record still kept (retention deletes older ones). */
  firstOffset(): number;
  offsetSince(timeMs: number): number;
  segmentCount(): number;
  /** fsyncs of appended data since open (group commit makes this far fewer than appends). */
  syncCount(): number;
  /** Runs retention now (it also runs on open and at every rotation). */
  expireNow(): Promise<void>;
}
