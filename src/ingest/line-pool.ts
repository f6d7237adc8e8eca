// The one worker pool behind `posops import` and `posops diagnose`: an NDJSON file is read in
// chunks of whole lines (raw bytes, line numbers carried), a task module digests each chunk —
// in worker threads, or in-thread for small inputs — and the digests come back in file order.
// The main thread keeps only what must be sequential (duplicates, the log, the engine's fold).
// A task module exports `digest(chunk, options): { result, transfer }` (see LineTask); it runs
// unchanged in a worker or in-thread, so both paths give the same answers.
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_LINE_BYTES } from './event.decode.ts';
import { openFileBytes } from './ndjson.file.ts';

export interface LineChunk {
  /** Whole lines (the file's last line may lack its line break). */
  bytes: Buffer;
  /** 1-based number of the chunk's first line. */
  firstLine: number;
  /** Line breaks in `bytes`, plus one for an unfinished last line. */
  lines: number;
  /** The file's first chunk (a byte-order mark may open it). */
  startsFile: boolean;
  /** Lines over the size limit, left out while reading: their 0-based index in the chunk (an empty line there) and real size. */
  longLines: { index: number; bytes: number }[];
}

/** What a task module exports. `transfer`: ArrayBuffers of `result` to move, not copy, across threads. */
export interface LineTask<R> {
  digest(chunk: LineChunk, options: unknown): { result: R; transfer: ArrayBuffer[] };
}

export interface LinePoolOptions {
  /** URL of the task module. */
  task: URL;
  /** Passed to the task's digest() (structured-cloneable). */
  taskOptions?: unknown;
  /** Worker threads; 0 digests in-thread. */
  workers: number;
  chunkBytes?: number;
  /** Bytes per read from the file (default chunkBytes); larger reads are cut into chunks of about chunkBytes. */
  readBytes?: number;
  maxLineBytes?: number;
  /** Bytes read from disk so far (compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void;
}

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;


function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Splits a byte stream at line breaks; a line longer than the limit is skipped (memory stays bounded) and reported. */
class ChunkCutter {
  private carry: Buffer | undefined;
  private skipping: number | undefined;
  private pendingLong: number | undefined;
  private line = 1;
  private first = true;

  constructor(private readonly maxLineBytes: number) {}

  push(piece: Buffer): LineChunk | undefined {
    if (this.skipping !== undefined) {
      const nl = piece.indexOf(10);
      if (nl === -1) {
        this.skipping += piece.length;
        return undefined;
      }
      this.pendingLong = this.skipping + nl;
      this.skipping = undefined;
      piece = piece.subarray(nl); // the chunk starts with an empty line standing for the long one
    }
    const buf = this.carry ? Buffer.concat([this.carry, piece]) : piece;
    this.carry = undefined;
    const cut = buf.lastIndexOf(10);
    const rest = cut === -1 ? buf : buf.subarray(cut + 1);
    if (rest.length > this.maxLineBytes) this.skipping = rest.length;
    else if (rest.length > 0) this.carry = Buffer.from(rest);
    return cut === -1 ? undefined : this.make(buf.subarray(0, cut + 1), false);
  }

  end(): LineChunk | undefined {
    if (this.skipping !== undefined) {
      this.pendingLong = this.skipping;
      this.skipping = undefined;
      return this.make(Buffer.from('\n'), true);
    }
    return this.carry ? this.make(this.carry, true) : undefined;
  }

  private make(bytes: Buffer, last: boolean): LineChunk {
    const lines = countLines(bytes) + (last && bytes[bytes.length - 1] !== 10 ? 1 : 0);
    const longLines = this.pendingLong === undefined ? [] : [{ index: 0, bytes: this.pendingLong }];
    this.pendingLong = undefined;
    const chunk: LineChunk = { bytes, firstLine: this.line, lines, startsFile: this.first, longLines };
    this.line += lines;
    this.first = false;
    return chunk;
  }
}

/**
 * `chunk` cut at line breaks into chunks of about `size` bytes (views of its bytes). Small reads cost
 * a system call each; small chunks keep fewer digested lines waiting.
 */
function* cutChunk(chunk: LineChunk, size: number): Generator<LineChunk> {
  const all = chunk.bytes;
  if (all.length < 2 * size) {
    yield chunk;
    return;
  }
  let start = 0;
  let line = chunk.firstLine;
  while (start < all.length) {
    const nl = start + size < all.length ? all.indexOf(10, start + size - 1) : -1;
    const end = nl === -1 ? all.length : nl + 1;
    const bytes = all.subarray(start, end);
    const lines = countLines(bytes) + (bytes[bytes.length - 1] !== 10 ? 1 : 0);
    yield { bytes, firstLine: line, lines, startsFile: chunk.startsFile && start === 0, longLines: start === 0 ? chunk.longLines : [] };
    line += lines;
    start = end;
  }
}

/** Chunks of whole lines of an NDJSON file (.gz handled transparently). */
export async function* readLineChunks(path: string, opts: { chunkBytes?: number; readBytes?: number; maxLineBytes?: number; onBytes?: (n: number) => void } = {}): AsyncGenerator<LineChunk> {
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const readBytes = Math.max(chunkBytes, opts.readBytes ?? chunkBytes);
  const stream = await openFileBytes(path, readBytes, opts.onBytes);
  const cutter = new ChunkCutter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const chunk = cutter.push(piece);
      if (chunk) yield* cutChunk(chunk, chunkBytes);
    }
    const last = cutter.end();
    if (last) yield* cutChunk(last, chunkBytes);
  } finally {
    stream.destroy();
  }
}

type Pending = { resolve: (r: unknown) => void; fallback: () => unknown };

const bundles = new Map<string, Promise<string | undefined>>();

/**
 * One CommonJS script of the worker and its task module, bundled once per process by esbuild (it
 * comes with tsx): a worker booting the TypeScript loader costs ~250 ms of CPU, this one ~30 ms.
 * Undefined when esbuild cannot be loaded (the worker then boots the loader).
 */
function workerScript(taskUrl: URL): Promise<string | undefined> {
  let script = bundles.get(taskUrl.href);
  if (!script) {
    const worker = fileURLToPath(new URL('./line-pool.worker.ts', import.meta.url));
    const contents = `import { serveLineTask } from ${JSON.stringify(worker)};\nimport * as task from ${JSON.stringify(fileURLToPath(taskUrl))};\nserveLineTask(task, require('node:worker_threads').workerData.options);\n`;
    script = import('esbuild')
      .then(async (esbuild) => {
        const out = await esbuild.build({ stdin: { contents, loader: 'ts', resolveDir: dirname(worker) }, bundle: true, format: 'cjs', platform: 'node', target: 'node20', write: false, logLevel: 'silent' });
        return out.outputFiles[0]!.text;
      })
      .catch(() => undefined);
    bundles.set(taskUrl.href, script);
  }
  return script;
}

function loaderBoot(taskUrl: URL): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./line-pool.worker.ts', import.meta.url).href;
  return `const { workerData } = require('node:worker_threads');
import(${JSON.stringify(tsx)}).then((m) => { m.register(); return Promise.all([import(${JSON.stringify(worker)}), import(${JSON.stringify(taskUrl.href)})]); })
  .then(([w, task]) => w.serveLineTask(task, workerData.options));`;
}

/** Worker threads running one task module; any failure digests the chunk in-thread instead. */
class LinePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private broken = false;
  /** Readers using the pool (see hold). */
  private readers = 0;

  constructor(size: number, private readonly task: LineTask<unknown>, script: string, taskOptions: unknown) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(script, { eval: true, workerData: { options: taskOptions } });
      w.on('message', (m: { seq: number; result: unknown }) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        p?.resolve(m.result);
      });
      w.on('error', (err) => this.fail(err));
      this.workers.push(w);
    }
  }

  static async start(size: number, task: LineTask<unknown>, taskUrl: URL, taskOptions: unknown): Promise<LinePool> {
    return new LinePool(size, task, (await workerScript(taskUrl)) ?? loaderBoot(taskUrl), taskOptions);
  }

  digest(chunk: LineChunk, taskOptions: unknown): Promise<unknown> {
    const fallback = (): unknown => this.task.digest(chunk, taskOptions).result;
    if (this.broken) return Promise.resolve(fallback());
    const seq = this.next++;
    return new Promise((resolve) => {
      this.pending.set(seq, { resolve, fallback });
      this.workers[seq % this.workers.length]!.postMessage({ seq, chunk }); // bytes copied: the caller keeps its chunk
    });
  }

  private fail(err: Error): void {
    if (!this.broken) process.emitWarning(`line workers failed (${err.message}); digesting in-thread`);
    this.broken = true;
    for (const p of this.pending.values()) p.resolve(p.fallback());
    this.pending.clear();
  }

  /** Whether the pool can take chunks (no worker has failed). */
  get usable(): boolean {
    return !this.broken;
  }

  /** One more (1) or one fewer (-1) reader: while there are any the workers keep the process alive; idle, they do not (an idle pool never stops an exit). */
  hold(delta: 1 | -1): void {
    this.readers += delta;
    if (this.readers === (delta > 0 ? 1 : 0)) for (const w of this.workers) (delta > 0 ? w.ref() : w.unref());
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Started pools by task, options and size, kept for the next file: a worker's compiled code warms
 * up over its first chunks (a cold worker digests medium ~40% slower), so a process that reads
 * several files, or the same file again, pays that once.
 */
const pools = new Map<string, Promise<LinePool>>();

async function acquirePool(size: number, task: LineTask<unknown>, taskUrl: URL, taskOptions: unknown): Promise<{ pool: LinePool; release: () => Promise<void> }> {
  const key = `${taskUrl.href}\0${size}\0${JSON.stringify(taskOptions ?? null)}`;
  let started = pools.get(key);
  if (!started) pools.set(key, (started = LinePool.start(size, task, taskUrl, taskOptions)));
  const pool = await started;
  if (!pool.usable) {
    pools.delete(key);
    await pool.close();
    return acquirePool(size, task, taskUrl, taskOptions);
  }
  pool.hold(1);
  return { pool, release: async () => pool.hold(-1) };
}

/** Worker threads worth starting on this machine: one per core beside the main thread, at most 8. */
export function defaultLineWorkers(): number {
  return Math.min(8, Math.max(1, availableParallelism() - 1));
}

export async function fileBytes(path: string): Promise<number> {
  return (await stat(path)).size;
}

/** Each chunk of `path` with its task digest, in file order; up to 2 chunks per worker in flight. */
export async function* digestLineChunks<R>(path: string, opts: LinePoolOptions): AsyncGenerator<{ chunk: LineChunk; result: R }> {
  const task = (await import(opts.task.href)) as LineTask<R>;
  const lease = opts.workers > 0 ? await acquirePool(opts.workers, task, opts.task, opts.taskOptions) : undefined;
  const pool = lease?.pool;
  const queue: { chunk: LineChunk; result: Promise<unknown> }[] = [];
  const depth = opts.workers * 2; // in-thread: each digest is handed on at once (no events kept waiting)
  try {
    for await (const chunk of readLineChunks(path, opts)) {
      queue.push({ chunk, result: pool ? pool.digest(chunk, opts.taskOptions) : Promise.resolve(task.digest(chunk, opts.taskOptions).result) });
      while (queue.length > depth) {
        const q = queue.shift()!;
        yield { chunk: q.chunk, result: (await q.result) as R };
      }
    }
    while (queue.length > 0) {
      const q = queue.shift()!;
      yield { chunk: q.chunk, result: (await q.result) as R };
    }
  } finally {
    await lease?.release();
  }
}
