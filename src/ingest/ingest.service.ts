// The ingestor: validate, drop duplicates, append to the log, answer once durable, tell listeners.
import { PosopsError, type PosEvent } from '../domain/index.ts';
import type { EventLog } from '../log/index.ts';
import { DedupeIndex } from './dedupe.ts';
import { DEFAULT_MAX_LINE_BYTES, decodeItem } from './event.decode.ts';
import { TRANSPORTS, type CheckedBatch, type IngestResult, type IngestSource, type IngestStats, type Ingestor, type IngestorOptions, type Transport, type TransportCounts } from './ingest.types.ts';

const DEFAULT_MAX_QUEUE = 200_000;
const DEFAULT_DEDUPE_WINDOW_MS = 7 * 24 * 3600 * 1000;

type Listener = (event: PosEvent, offset: number) => void;

/** A batch appended to the log, waiting for its turn to be told to listeners (log order). */
interface Notice {
  base: number;
  events: PosEvent[];
  state: 'pending' | 'durable' | 'failed';
}

interface Accepted {
  events: PosEvent[];
  stored: (string | Buffer)[];
  /** terminal and id of each accepted event, to forget them again when the append fails. */
  terminals: string[];
  ids: string[];
}

class LogIngestor implements Ingestor {
  private readonly listeners = new Set<Listener>();
  private readonly notices: Notice[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly counts: Record<Transport, TransportCounts>;
  private lastAppend: Promise<unknown> = Promise.resolve();
  private queueDepth = 0;
  private closed = false;

  constructor(
    private readonly log: EventLog,
    private readonly dedupe: DedupeIndex,
    private readonly maxQueue: number,
    private readonly maxLineBytes: number,
    private readonly now: () => number,
  ) {
    this.counts = Object.fromEntries(TRANSPORTS.map((t) => [t, { accepted: 0, duplicates: 0, rejected: 0 }])) as Record<Transport, TransportCounts>;
  }

  async ingest(items: readonly unknown[], source: IngestSource): Promise<IngestResult> {
    if (this.closed) throw new PosopsError('LOG_CLOSED', 'the ingestor is closed');
    if (this.queueDepth > 0 && this.queueDepth + items.length > this.maxQueue) {
      throw new PosopsError('INGEST_OVERLOADED', `${this.queueDepth} events are waiting to be written (limit ${this.maxQueue}); retry later`);
    }
    const at = this.now();
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    const accepted = this.sort(items, source, at, result);
    return this.finish(accepted, at, result, source);
  }

  async ingestChecked(batch: CheckedBatch, source: IngestSource): Promise<IngestResult> {
    if (this.closed) throw new PosopsError('LOG_CLOSED', 'the ingestor is closed');
    const n = batch.stored.length;
    if (this.queueDepth > 0 && this.queueDepth + n > this.maxQueue) {
      throw new PosopsError('INGEST_OVERLOADED', `${this.queueDepth} events are waiting to be written (limit ${this.maxQueue}); retry later`);
    }
    const at = this.now();
    const result: IngestResult = { accepted: 0, duplicates: 0, rejected: [] };
    const accepted: Accepted = { events: [], stored: [], terminals: [], ids: [] };
    const keepEvents = this.listeners.size > 0;
    for (let i = 0; i < n; i++) {
      const terminal = batch.terminals[i]!;
      const id = batch.ids[i]!;
      if (source.terminal !== undefined && terminal !== source.terminal) {
        result.rejected.push({ index: i, error: `terminal ${terminal} is not the authenticated terminal ${source.terminal}` });
        continue;
      }
      if (!this.dedupe.addIfNew(terminal, id, at)) {
        result.duplicates++;
        continue;
      }
      const stored = batch.stored[i]!;
      if (keepEvents) {
        const d = decodeItem(stored, this.maxLineBytes);
        if (d.ok) accepted.events.push(d.event);
      }
      accepted.stored.push(stored);
      accepted.terminals.push(terminal);
      accepted.ids.push(id);
    }
    return this.finish(accepted, at, result, source);
  }

  private async finish(accepted: Accepted, at: number, result: IngestResult, source: IngestSource): Promise<IngestResult> {
    const counts = this.counts[source.transport];
    counts.rejected += result.rejected.length;
    counts.duplicates += result.duplicates;
    if (accepted.ids.length === 0) {
      if (result.duplicates > 0) await this.lastAppend; // the originals are durable before we answer
      return result;
    }
    await this.track(this.append(accepted, at));
    result.accepted = accepted.ids.length;
    counts.accepted += result.accepted;
    return result;
  }

  /** Splits items into rejected, duplicates and accepted; accepted keys are remembered at once. */
  private sort(items: readonly unknown[], source: IngestSource, at: number, result: IngestResult): Accepted {
    const accepted: Accepted = { events: [], stored: [], terminals: [], ids: [] };
    // only listeners read the events; append() follows in the same tick, so this cannot change before it
    const keepEvents = this.listeners.size > 0;
    for (let index = 0; index < items.length; index++) {
      const d = decodeItem(items[index], this.maxLineBytes);
      if (!d.ok) {
        result.rejected.push({ index, error: d.error });
        continue;
      }
      const { terminal, id } = d.event;
      if (source.terminal !== undefined && terminal !== source.terminal) {
        result.rejected.push({ index, error: `terminal ${terminal} is not the authenticated terminal ${source.terminal}` });
        continue;
      }
      if (!this.dedupe.addIfNew(terminal, id, at)) {
        result.duplicates++;
        continue;
      }
      if (keepEvents) accepted.events.push(d.event); // else the parsed event dies at once (cheap young-generation GC)
      accepted.stored.push(d.stored);
      accepted.terminals.push(terminal);
      accepted.ids.push(id);
    }
    return accepted;
  }

  private async append(accepted: Accepted, at: number): Promise<void> {
    // events are kept for listeners only: holding them while the fsync runs would cost GC time for nothing
    const notice: Notice = { base: this.log.nextOffset(), events: accepted.events, state: 'pending' };
    this.notices.push(notice);
    const n = accepted.ids.length;
    this.queueDepth += n;
    const appended = this.log.append(accepted.stored);
    accepted.events = []; // the notice holds them for listeners; nothing else while the fsync runs
    this.lastAppend = appended;
    try {
      await appended;
      notice.state = 'durable';
    } catch (err) {
      notice.state = 'failed';
      for (let i = 0; i < accepted.ids.length; i++) this.dedupe.delete(accepted.terminals[i]!, accepted.ids[i]!, at);
      throw err;
    } finally {
      this.queueDepth -= n;
      this.notify();
    }
  }

  /** Tells listeners about durable batches, oldest first, stopping at the first still pending. */
  private notify(): void {
    while (this.notices.length > 0 && this.notices[0]!.state !== 'pending') {
      const notice = this.notices.shift()!;
      if (notice.state === 'failed') continue;
      for (let i = 0; i < notice.events.length; i++) {
        for (const listener of this.listeners) {
          try {
            listener(notice.events[i]!, notice.base + i);
          } catch (err) {
            process.emitWarning(`an ingest listener failed: ${(err as Error).message}`);
          }
        }
      }
    }
  }

  private async track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(p);
    }
  }

  onEvent(listener: Listener): () => void {
    const wrapped: Listener = (e, o) => listener(e, o); // the same function may subscribe twice
    this.listeners.add(wrapped);
    return () => void this.listeners.delete(wrapped);
  }

  stats(): IngestStats {
    const byTransport = Object.fromEntries(TRANSPORTS.map((t) => [t, { ...this.counts[t] }])) as Record<Transport, TransportCounts>;
    return { byTransport, queueDepth: this.queueDepth, logBytes: this.log.bytes(), dedupeKeys: this.dedupe.size() };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }
}

/** Fills the duplicate index from the records appended within the window (a restart forgets nothing). */
async function rebuildDedupe(log: EventLog, dedupe: DedupeIndex, windowMs: number, now: number): Promise<void> {
  const since = now - windowMs;
  for await (const record of log.read(log.offsetSince?.(since) ?? 0)) {
    const at = record.appendedAt ?? now;
    if (at < since) continue;
    try {
      const { terminal, id } = JSON.parse(record.data.toString('utf8')) as { terminal?: unknown; id?: unknown };
      if (typeof terminal === 'string' && typeof id === 'string') dedupe.add(terminal, id, at);
    } catch {
      // a record that is not an event cannot be a duplicate of one
    }
  }
}

/** Creates the ingestor over `log`, rebuilding the duplicate index from the log's recent records. */
export async function createIngestor(opts: IngestorOptions): Promise<Ingestor> {
  const now = opts.now ?? Date.now;
  const windowMs = opts.dedupeWindowMs ?? DEFAULT_DEDUPE_WINDOW_MS;
  const dedupe = new DedupeIndex(windowMs);
  await rebuildDedupe(opts.log, dedupe, windowMs, now());
  return new LogIngestor(opts.log, dedupe, opts.maxQueue ?? DEFAULT_MAX_QUEUE, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, now);
}
