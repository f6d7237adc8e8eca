// The event log at scale: a NATS JetStream stream instead of local segment files.
// Subjects are partitioned by a hash of the terminal ID (`<prefix>.<partition>`), so several posops
// processes can each own a set of partitions. A record's offset is its stream sequence minus one;
// append() resolves once JetStream has acknowledged every record (stored on the server's disk).

import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { PosopsError } from '../domain/index.ts';
import type { EventLog, LogRecord } from './log.types.ts';

export interface JetStreamLogOptions {
  /** NATS server, e.g. nats://127.0.0.1:4222. */
  url: string;
  /** Stream name. Default POSOPS_EVENTS. */
  stream?: string;
  /** Subject prefix; records go to `<prefix>.<partition>`. Default posops.events. */
  subjectPrefix?: string;
  /** Number of partitions the terminal IDs hash into. Default 16. */
  partitions?: number;
  /** Records older than this are dropped by JetStream. Default 30 days. */
  retentionMs?: number;
}

const TERMINAL_FIELD = /"terminal"\s*:\s*"([^"]*)"/;

/** FNV-1a hash of a terminal ID, into `partitions` buckets. */
export function terminalPartition(terminal: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < terminal.length; i++) {
    h ^= terminal.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

class JetStreamLog implements EventLog {
  private next: number;
  private sizeBytes: number;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly prefix: string,
    private readonly partitions: number,
    lastSeq: number,
    bytes: number,
  ) {
    this.next = lastSeq;
    this.sizeBytes = bytes;
  }

  private subjectOf(record: string): string {
    const terminal = TERMINAL_FIELD.exec(record)?.[1] ?? '';
    return `${this.prefix}.${terminalPartition(terminal, this.partitions)}`;
  }

  async append(records: readonly (string | Buffer)[]): Promise<void> {
    if (this.nc.isClosed()) throw new PosopsError('LOG_CLOSED', 'the JetStream event log is closed');
    const acks = records.map((r) => {
      const text = typeof r === 'string' ? r : r.toString('utf8');
      this.sizeBytes += Buffer.byteLength(text);
      return this.js.publish(this.subjectOf(text), text);
    });
    for (const ack of await Promise.all(acks)) this.next = Math.max(this.next, ack.seq);
  }

  async *read(from = 0): AsyncIterable<LogRecord> {
    const info = await this.jsm.streams.info(this.stream);
    const last = info.state.last_seq;
    const start = Math.max(from + 1, info.state.first_seq);
    if (start > last || info.state.messages === 0) return;
    const consumer = await this.js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: start,
    });
    const messages = await consumer.consume({ max_messages: 1000 });
    try {
      for await (const m of messages) {
        yield { offset: m.seq - 1, data: Buffer.from(m.data) };
        if (m.seq >= last) break;
      }
    } finally {
      messages.stop();
      await consumer.delete().catch(() => undefined);
    }
  }

  nextOffset(): number {
    return this.next;
  }

  bytes(): number {
    return this.sizeBytes;
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

/** Connects to JetStream and creates (or adopts) the stream. */
export async function openJetStreamLog(opts: JetStreamLogOptions): Promise<EventLog> {
  const stream = opts.stream ?? 'POSOPS_EVENTS';
  const prefix = opts.subjectPrefix ?? 'posops.events';
  const partitions = opts.partitions ?? 16;
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: opts.url, timeout: 3000 });
  } catch (err) {
    throw new PosopsError('LOG_UNAVAILABLE', `NATS is not reachable at ${opts.url}: ${(err as Error).message}`);
  }
  const jsm = await jetstreamManager(nc);
  const config = {
    name: stream,
    subjects: [`${prefix}.>`],
    storage: StorageType.File,
    max_age: (opts.retentionMs ?? 30 * 86_400_000) * 1_000_000,
  };
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add(config);
  }
  const info = await jsm.streams.info(stream);
  return new JetStreamLog(nc, jetstream(nc), jsm, stream, prefix, partitions, info.state.last_seq, info.state.bytes);
}
