// The embedded event log: append-only segment files in one folder, written with group commit
// (appends waiting while a write+fsync runs share the next one), replayable from any offset,
// rotated at a size and expired by age, whole segments at a time.
import { mkdir, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PosopsError } from '../domain/index.ts';
import { lockLogDir } from './lock.ts';
import { encodeRecords } from './record.ts';
import {
  SEGMENT_HEADER_BYTES,
  encodeSegmentHeader,
  listSegmentFiles,
  openSegment,
  scanSegment,
  segmentName,
  syncDir,
  type SegmentInfo,
} from './segment.ts';
import type { LogRecord, LogRecovery, SegmentLog, SegmentLogOptions } from './log.types.ts';
import { readSegments } from './segment.reader.ts';

interface PendingAppend {
  records: readonly (string | Buffer)[];
  resolve: () => void;
  reject: (err: Error) => void;
}

const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;
const DEFAULT_RETENTION_MS = 30 * 24 * 3600 * 1000;

class SegmentFolderLog implements SegmentLog {
  private pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private syncs = 0;
  private next: number;
  private durable: number;

  constructor(
    private readonly dir: string,
    private readonly segments: SegmentInfo[],
    private active: FileHandle,
    private readonly opts: Required<SegmentLogOptions>,
    private readonly release: () => Promise<void>,
    readonly recovery: LogRecovery | undefined,
    activeCount: number,
  ) {
    this.next = this.activeInfo().base + activeCount;
    this.durable = this.next;
  }

  append(records: readonly (string | Buffer)[]): Promise<void> {
    if (this.closed) return Promise.reject(new PosopsError('LOG_CLOSED', `the event log ${this.dir} is closed`));
    if (this.failure) return Promise.reject(this.failure);
    this.next += records.length;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  read(from = 0): AsyncIterable<LogRecord> {
    return readSegments(() => this.segments.slice(), Math.max(0, from), this.durable);
  }

  nextOffset(): number {
    return this.next;
  }

  durableOffset(): number {
    return this.durable;
  }

  firstOffset(): number {
    return this.segments[0]!.base;
  }

  offsetSince(timeMs: number): number {
    for (let i = 0; i < this.segments.length - 1; i++) {
      if (this.segments[i + 1]!.createdAt >= timeMs) return this.segments[i]!.base;
    }
    return this.activeInfo().base;
  }

  bytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  syncCount(): number {
    return this.syncs;
  }

  segmentCount(): number {
    return this.segments.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.active.sync().catch(() => undefined);
    await this.active.close();
    await this.release();
  }

  private activeInfo(): SegmentInfo {
    return this.segments[this.segments.length - 1]!;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          if (this.failure) throw this.failure;
          await this.writeBatch(batch);
          for (const p of batch) p.resolve();
        } catch (err) {
          this.failure ??= new PosopsError('LOG_CORRUPT', `the event log ${this.dir} could not be written (${(err as Error).message}); reopen it`);
          for (const p of batch) p.reject(this.failure);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const records: (string | Buffer)[] = [];
    for (const p of batch) for (const r of p.records) records.push(r);
    if (records.length === 0) return;
    const now = this.opts.now();
    const buf = encodeRecords(records, now);
    const info = this.activeInfo();
    if (info.size > SEGMENT_HEADER_BYTES && info.size + buf.length > this.opts.segmentBytes) await this.rotate(now);
    const seg = this.activeInfo();
    let written = 0;
    while (written < buf.length) {
      const { bytesWritten } = await this.active.write(buf, written, buf.length - written, seg.size + written);
      written += bytesWritten;
    }
    await this.active.datasync();
    this.syncs++;
    seg.size += buf.length;
    this.durable += records.length;
  }

  private async rotate(now: number): Promise<void> {
    const base = this.durable;
    const path = join(this.dir, segmentName(base));
    const created = await createSegmentFile(path, base, now);
    await this.active.close();
    this.active = created;
    this.segments.push({ base, path, createdAt: now, size: SEGMENT_HEADER_BYTES });
    await syncDir(this.dir);
    await this.expire(now);
  }

  /** Deletes whole segments whose every record is older than the retention. */
  private async expire(now: number): Promise<void> {
    let removed = 0;
    while (this.segments.length > 1 && this.segments[1]!.createdAt < now - this.opts.retentionMs) {
      const old = this.segments.shift()!;
      await unlink(old.path).catch(() => undefined);
      removed++;
    }
    if (removed > 0) await syncDir(this.dir);
  }

  /** Runs retention now (it also runs at every rotation). */
  async expireNow(): Promise<void> {
    await this.expire(this.opts.now());
  }
}

async function createSegmentFile(path: string, base: number, createdAt: number): Promise<FileHandle> {
  const { fh } = await openSegment(path, 'w+');
  await fh.write(encodeSegmentHeader(base, createdAt), 0, SEGMENT_HEADER_BYTES, 0);
  await fh.datasync();
  return fh;
}

/** Checks the last segment record by record and cuts a torn or corrupt tail. */
async function recoverActive(info: SegmentInfo, fh: FileHandle, fileSize: number): Promise<{ count: number; recovery?: LogRecovery }> {
  const stop: { pos: number; reason?: 'partial' | 'corrupt' } = { pos: SEGMENT_HEADER_BYTES };
  let count = 0;
  for await (const _ of scanSegment(fh, SEGMENT_HEADER_BYTES, fileSize, stop)) count++;
  info.size = stop.pos;
  if (stop.pos === fileSize) return { count };
  await fh.truncate(stop.pos);
  await fh.sync();
  return { count, recovery: { segment: info.path, truncatedBytes: fileSize - stop.pos, reason: stop.reason ?? 'partial', keptRecords: count } };
}

async function loadSegments(dir: string, now: number): Promise<{ segments: SegmentInfo[]; active: FileHandle; count: number; recovery?: LogRecovery }> {
  const files = await listSegmentFiles(dir);
  const segments: SegmentInfo[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const last = i === files.length - 1;
    const { fh, header, size } = await openSegment(file.path, last ? 'r+' : 'r');
    if (!header || header.base !== file.base) {
      if (!last) {
        await fh.close();
        throw new PosopsError('LOG_CORRUPT', `segment ${file.path} has no valid header`);
      }
      await fh.close(); // crashed while creating it: it holds no record yet
      await truncate(file.path, 0);
      const active = await createSegmentFile(file.path, file.base, now);
      segments.push({ base: file.base, path: file.path, createdAt: now, size: SEGMENT_HEADER_BYTES });
      return { segments, active, count: 0 };
    }
    const info: SegmentInfo = { base: file.base, path: file.path, createdAt: header.createdAt, size };
    segments.push(info);
    if (!last) await fh.close();
    else return { segments, active: fh, ...(await recoverActive(info, fh, size)) };
  }
  const path = join(dir, segmentName(0));
  const active = await createSegmentFile(path, 0, now);
  await syncDir(dir);
  return { segments: [{ base: 0, path, createdAt: now, size: SEGMENT_HEADER_BYTES }], active, count: 0 };
}

/** Opens (creating if needed) the segment log in `dir`; takes the folder's lock and repairs a torn tail. */
export async function openSegmentLog(dir: string, options: SegmentLogOptions = {}): Promise<SegmentLog> {
  const opts: Required<SegmentLogOptions> = {
    segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
    retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
    now: options.now ?? Date.now,
  };
  await mkdir(dir, { recursive: true });
  const release = await lockLogDir(dir);
  try {
    const { segments, active, count, recovery } = await loadSegments(dir, opts.now());
    const log = new SegmentFolderLog(dir, segments, active, opts, release, recovery, count);
    await log.expireNow();
    return log;
  } catch (err) {
    await release();
    throw err;
  }
}
