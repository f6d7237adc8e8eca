// Importing NDJSON files through the ingestor (transport 'file'): the code `posops import` and
// the file benchmark run. Batches go to the ingestor two at a time so reading, validating and the
// log's write+fsync overlap.
import { DEFAULT_MAX_LINE_BYTES as DEFAULT_MAX, lineTooLong } from './event.decode.ts';
import type { CheckedBatch, IngestResult, Ingestor } from './ingest.types.ts';
import { defaultLineWorkers, digestLineChunks, fileBytes, type LineChunk } from './line-pool.ts';
import type { ImportDigest } from './ndjson.digest.ts';
import { readNdjsonBatches } from './ndjson.file.ts';
import { availableParallelism } from 'node:os';

export interface FileImportResult {
  /** Non-blank lines read. */
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  /** The first `maxReported` rejected lines with their reason. */
  rejections: { line: number; error: string }[];
}

export interface FileImportOptions {
  onBytes?: (bytesRead: number) => void;
  maxReported?: number;
  maxLineBytes?: number;
  /** Worker threads that parse and validate (the line pool); default: see importWorkers(). 0 = in-thread. */
  workers?: number;
  /** Bytes of raw lines per pool job (tests use small ones). */
  chunkBytes?: number;
}

const IN_FLIGHT = 2;
/** Files under this size are imported in-thread (starting workers costs more than they save). */
const POOL_MIN_BYTES = 4 * 1024 * 1024;
/** Chunk of raw lines per pool job; also the size of a group commit. */
const POOL_CHUNK_BYTES = 2 * 1024 * 1024;

/**
 * Worker threads an import of `bytes` uses by default: the pool from 3 cores on. On the shared
 * two-core development machine the worker competes with the main thread and the other processes
 * for the second core, and in-thread was as fast or faster (bench/README.md, ingest-file).
 */
export function importWorkers(bytes: number): number {
  return bytes < POOL_MIN_BYTES || availableParallelism() < 3 ? 0 : defaultLineWorkers();
}

function tally(result: FileImportResult, numbers: number[], answer: IngestResult, maxReported: number): void {
  result.accepted += answer.accepted;
  result.duplicates += answer.duplicates;
  result.rejected += answer.rejected.length;
  for (const r of answer.rejected) {
    if (result.rejections.length < maxReported) result.rejections.push({ line: numbers[r.index]!, error: r.error });
  }
}

/** Reads one NDJSON file (gzip too) into the ingestor; resolves when every accepted event is durable. */
export async function importNdjsonFile(ingestor: Ingestor, path: string, opts: FileImportOptions = {}): Promise<FileImportResult> {
  const workers = opts.workers ?? importWorkers(await fileBytes(path));
  const result = workers > 0 && ingestor.ingestChecked ? await importPooled(ingestor, path, workers, opts) : await importInThread(ingestor, path, opts);
  result.rejections.sort((a, b) => a.line - b.line);
  return result;
}

/** Keeps at most IN_FLIGHT appends going while the next batch is read; a failure surfaces when awaited. */
class AppendWindow {
  private readonly pending: Promise<void>[] = [];

  /** Waits until another append may start. */
  async room(): Promise<void> {
    if (this.pending.length >= IN_FLIGHT) await this.pending.shift();
  }

  add(append: Promise<void>): void {
    append.catch(() => undefined); // awaited in drain(); never an unhandled rejection meanwhile
    this.pending.push(append);
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
  }

  async settle(): Promise<void> {
    await Promise.allSettled(this.pending);
  }
}

function reject(result: FileImportResult, line: number, error: string, maxReported: number): void {
  result.rejected++;
  if (result.rejections.length < maxReported) result.rejections.push({ line, error });
}

/** The valid lines of a pool digest as a batch for ingestChecked(): the chunk's own bytes, no copy. */
function checkedBatch(chunk: LineChunk, d: ImportDigest): CheckedBatch {
  const n = d.tsMs.length;
  const batch: CheckedBatch = { stored: new Array(n), terminals: new Array(n), ids: new Array(n) };
  let pos = 0;
  for (let i = 0; i < n; i++) {
    batch.stored[i] = chunk.bytes.subarray(d.spans[2 * i]!, d.spans[2 * i + 1]!);
    const t = d.keyLens[2 * i]!;
    const k = d.keyLens[2 * i + 1]!;
    batch.terminals[i] = d.keyText.slice(pos, pos + t);
    batch.ids[i] = d.keyText.slice(pos + t, pos + t + k);
    pos += t + k;
  }
  return batch;
}

/** Big files: worker threads parse and validate chunks; this thread dedupes and appends the raw lines. */
async function importPooled(ingestor: Ingestor, path: string, workers: number, opts: FileImportOptions): Promise<FileImportResult> {
  const maxReported = opts.maxReported ?? 50;
  const maxLineBytes = opts.maxLineBytes;
  const result: FileImportResult = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
  const window = new AppendWindow();
  const task = new URL('./ndjson.digest.ts', import.meta.url);
  const chunks = digestLineChunks<ImportDigest>(path, {
    task,
    taskOptions: { maxLineBytes },
    workers,
    chunkBytes: opts.chunkBytes ?? POOL_CHUNK_BYTES,
    ...(maxLineBytes ? { maxLineBytes } : {}),
    ...(opts.onBytes ? { onBytes: opts.onBytes } : {}),
  });
  try {
    for await (const { chunk, result: d } of chunks) {
      for (const l of chunk.longLines) reject(result, chunk.firstLine + l.index, lineTooLong(l.bytes, maxLineBytes ?? DEFAULT_MAX), maxReported);
      for (const x of d.invalid) reject(result, chunk.firstLine + x.index, x.error, maxReported);
      result.lines += chunk.longLines.length + d.invalid.length + d.tsMs.length;
      if (d.tsMs.length === 0) continue;
      await window.room();
      window.add(
        ingestor.ingestChecked!(checkedBatch(chunk, d), { transport: 'file' }).then((answer) => {
          result.accepted += answer.accepted;
          result.duplicates += answer.duplicates;
        }),
      );
    }
    await window.drain();
  } catch (err) {
    await window.settle();
    throw err;
  }
  return result;
}

async function importInThread(ingestor: Ingestor, path: string, opts: FileImportOptions): Promise<FileImportResult> {
  const maxReported = opts.maxReported ?? 50;
  const result: FileImportResult = { lines: 0, accepted: 0, duplicates: 0, rejected: 0, rejections: [] };
  const window = new AppendWindow();
  const readOpts = { ...(opts.onBytes ? { onBytes: opts.onBytes } : {}), ...(opts.maxLineBytes ? { maxLineBytes: opts.maxLineBytes } : {}) };
  try {
    for await (const batch of readNdjsonBatches(path, readOpts)) {
      result.lines += batch.length;
      const texts: string[] = [];
      const numbers: number[] = [];
      for (const l of batch) {
        if (l.error === undefined) {
          texts.push(l.text);
          numbers.push(l.line);
        } else {
          result.rejected++;
          if (result.rejections.length < maxReported) result.rejections.push({ line: l.line, error: l.error });
        }
      }
      if (texts.length === 0) continue;
      await window.room();
      window.add(ingestor.ingest(texts, { transport: 'file' }).then((answer) => tally(result, numbers, answer, maxReported)));
    }
    await window.drain();
  } catch (err) {
    await window.settle();
    throw err;
  }
  return result;
}
