// Reads NDJSON event files for `posops diagnose` in chunks of about 1 MB of whole lines and has
// a pool of worker threads digest them (src/cli/diagnose.chunk.ts); digests come back in file
// order. Small inputs, or a pool that cannot start, are digested in-thread by the same code.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { digestChunk, type ChunkDigest, type DigestForm } from './diagnose.chunk.ts';

const CHUNK_BYTES = 1024 * 1024;
/** Files smaller than this are digested in-thread (starting workers costs more). */
const WORKER_MIN_BYTES = 4 * CHUNK_BYTES;

export interface FileChunk {
  digest: ChunkDigest;
  /** 1-based line number of the chunk's first line. */
  firstLine: number;
}

async function isGzip(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) return true;
  const fh = await open(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Byte chunks that end at a line break (the last one may not). */
async function* lineChunks(path: string, chunkBytes: number): AsyncGenerator<Uint8Array> {
  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  const stream = (await isGzip(path)) ? raw.pipe(createGunzip({ chunkSize: chunkBytes })) : raw;
  raw.on('error', (err) => stream.destroy(err));
  let carry: Buffer | undefined;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, piece]) : piece;
      const cut = buf.lastIndexOf(10);
      if (cut === -1) {
        carry = buf;
        continue;
      }
      carry = cut + 1 < buf.length ? Buffer.from(buf.subarray(cut + 1)) : undefined;
      yield buf.subarray(0, cut + 1);
    }
    if (carry) yield carry;
  } finally {
    stream.destroy();
  }
}

/** The chunk's text, decoded in place (Buffer.from(uint8array) would copy the bytes first). */
function chunkText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

type Pending = { resolve: (d: ChunkDigest) => void; fallback: () => ChunkDigest };

/** A small pool of digest workers; any failure digests the chunk in-thread instead. */
class DigestPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private broken = false;
  /** One worker is the slower side of the pipeline: it sends lines; with more, the main thread is: views. */
  private readonly form: DigestForm;

  constructor(size: number) {
    this.form = size >= 2 ? 'views' : 'lines';
    const tsx = import.meta.resolve('tsx/esm/api');
    const script = new URL('./diagnose.worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(script)}); });`;
    for (let i = 0; i < size; i++) {
      const w = new Worker(boot, { eval: true });
      w.on('message', (m: { seq: number; digest: ChunkDigest }) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        p?.resolve(m.digest);
      });
      w.on('error', (err) => this.fail(err));
      this.workers.push(w);
    }
  }

  digest(bytes: Uint8Array, startsFile: boolean): Promise<ChunkDigest> {
    const fallback = (): ChunkDigest => digestChunk(chunkText(bytes), startsFile);
    if (this.broken) return Promise.resolve(fallback());
    const seq = this.next++;
    return new Promise((resolve) => {
      this.pending.set(seq, { resolve, fallback });
      this.workers[seq % this.workers.length]!.postMessage({ seq, bytes, startsFile, form: this.form });
    });
  }

  private fail(err: Error): void {
    if (!this.broken) process.emitWarning(`diagnose workers failed (${err.message}); parsing in-thread`);
    this.broken = true;
    for (const p of this.pending.values()) p.resolve(p.fallback());
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export function defaultWorkers(): number {
  return Math.min(8, Math.max(1, availableParallelism() - 1));
}

/**
 * Whether a pool pays off by default: with two cores the one worker competes with the main
 * thread's fold, and a worker digest costs more CPU in all (the main thread parses the events once
 * more); on the shared two-core development machine in-thread was faster in every run
 * (bench/README.md, engine). Three or more cores give the worker(s) a core of their own.
 */
function poolPaysOff(): boolean {
  return availableParallelism() >= 3;
}

/**
 * Digests of `path`, in file order. `workers`: pool size (0 digests in-thread); by default files
 * under 4 MB, and any file on fewer than three cores, are digested in-thread, larger ones by
 * defaultWorkers() workers.
 */
export async function* readDigests(path: string, opts: { workers?: number; chunkBytes?: number } = {}): AsyncGenerator<FileChunk> {
  const size = (await stat(path)).size;
  const workers = opts.workers ?? (size < WORKER_MIN_BYTES || !poolPaysOff() ? 0 : defaultWorkers());
  const pool = workers > 0 ? new DigestPool(workers) : undefined;
  const queue: Promise<ChunkDigest>[] = [];
  let firstLine = 1;
  let startsFile = true;
  try {
    for await (const bytes of lineChunks(path, opts.chunkBytes ?? CHUNK_BYTES)) {
      queue.push(pool ? pool.digest(bytes, startsFile) : Promise.resolve(digestChunk(chunkText(bytes), startsFile)));
      startsFile = false;
      while (queue.length > Math.max(1, workers * 2)) {
        const digest = await queue.shift()!;
        yield { digest, firstLine };
        firstLine += digest.lines;
      }
    }
    while (queue.length > 0) {
      const digest = await queue.shift()!;
      yield { digest, firstLine };
      firstLine += digest.lines;
    }
  } finally {
    await pool?.close();
  }
}
