// Reads NDJSON event files for `posops diagnose` through the shared line pool
// (src/ingest/line-pool.ts) with diagnose.chunk.ts as its task; digests come back in file order.
// Small inputs, and machines where a worker does not pay off, are digested in-thread.
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { defaultLineWorkers, digestLineChunks, lineTooLong, DEFAULT_MAX_LINE_BYTES } from '../ingest/index.ts';
import type { ChunkDigest, DigestOptions } from './diagnose.chunk.ts';

const CHUNK_BYTES = 1024 * 1024;
/**
 * In-thread chunks are smaller: a chunk's events are all alive until the fold has taken them, and
 * with 1 MB (~4,400 events) the young-generation GC copied and promoted them (bench/README.md, engine:
 * scavenge time per medium run ~170 ms at 1 MB, ~70 ms at 64 KB).
 */
const IN_THREAD_CHUNK_BYTES = 64 * 1024;
/** Files smaller than this are digested in-thread (starting workers costs more). */
const WORKER_MIN_BYTES = 4 * CHUNK_BYTES;
const TASK = new URL('./diagnose.chunk.ts', import.meta.url);

export interface FileChunk {
  digest: ChunkDigest;
  /** 1-based line number of the chunk's first line. */
  firstLine: number;
}

/** The pool size used for big files by default (bench/README.md, engine: measured per core count). */
export function defaultWorkers(): number {
  return defaultLineWorkers();
}

/**
 * Whether a pool pays off by default. On the shared two-core development machine the worker
 * competes with the main thread's fold for the second core (bench/README.md, engine); three or
 * more cores give the worker(s) a core of their own.
 */
function poolPaysOff(): boolean {
  return availableParallelism() >= 3;
}

/**
 * Digests of `path`, in file order. `workers`: pool size (0 digests in-thread); by default files
 * under 4 MB, and any file on fewer than three cores, are digested in-thread, larger ones by
 * defaultWorkers() workers.
 */
export async function* readDigests(path: string, opts: { workers?: number; chunkBytes?: number; fastPath?: boolean; onBytes?: (bytesRead: number) => void } = {}): AsyncGenerator<FileChunk> {
  const size = (await stat(path)).size;
  const workers = opts.workers ?? (size < WORKER_MIN_BYTES || !poolPaysOff() ? 0 : defaultWorkers());
  const chunks = digestLineChunks<ChunkDigest>(path, { task: TASK, taskOptions: { form: workers > 0 ? 'shapes' : 'events', fast: opts.fastPath ?? true } satisfies DigestOptions, workers, chunkBytes: opts.chunkBytes ?? (workers > 0 ? CHUNK_BYTES : IN_THREAD_CHUNK_BYTES), readBytes: CHUNK_BYTES, onBytes: opts.onBytes });
  for await (const { chunk, result } of chunks) {
    for (const l of chunk.longLines) result.invalid.unshift({ index: l.index, error: lineTooLong(l.bytes, DEFAULT_MAX_LINE_BYTES) });
    yield { digest: result, firstLine: chunk.firstLine };
  }
}
