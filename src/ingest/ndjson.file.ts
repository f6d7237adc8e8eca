// Streaming NDJSON files (gzip detected by its magic bytes or a .gz name), in batches of lines.
// Memory stays bounded: a line longer than the limit is skipped while reading and reported.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong } from './event.decode.ts';

export interface NdjsonLine {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  /** The line without its line break ('' when `error` is set). */
  text: string;
  /** Set when the line could not be taken at all (over the size limit). */
  error?: string;
}

export interface NdjsonReadOptions {
  maxLineBytes?: number;
  /** Called as the file is read, with the bytes read from disk so far (compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void;
}

const CHUNK_BYTES = 1024 * 1024;

/** Whether the file is gzip: by its name, or by its first two bytes. */
export async function isGzip(path: string): Promise<boolean> {
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

/**
 * A file's bytes (gunzipped when it is gzip), read `readBytes` at a time. `onBytes` sees how many
 * bytes were read from disk each time a piece is passed on. (A 'data' listener on the file stream
 * would switch it to flowing mode, and an async reader of the same stream would then lose pieces.)
 */
export async function openFileBytes(path: string, readBytes: number, onBytes?: (n: number) => void): Promise<Readable> {
  const gzip = await isGzip(path); // first: a missing file fails here, before a stream exists
  const raw = createReadStream(path, { highWaterMark: readBytes });
  let out: Readable = raw;
  if (onBytes) {
    out = raw.pipe(new Transform({
      transform(piece: Buffer, _encoding, done) {
        onBytes(raw.bytesRead);
        done(null, piece);
      },
    }));
  }
  if (gzip) out = out.pipe(createGunzip({ chunkSize: readBytes }));
  if (out !== raw) raw.on('error', (err) => out.destroy(err));
  return out;
}

class LineSplitter {
  private carry = '';
  private skipping: { line: number; bytes: number } | undefined;
  private lineNo = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Splits decoded text into complete lines; keeps the unfinished one for later. */
  push(text: string, out: NdjsonLine[]): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.finish(text.slice(start, nl), out);
      start = nl + 1;
    }
    const rest = start === 0 ? text : text.slice(start);
    if (this.skipping) this.skipping.bytes += Buffer.byteLength(rest);
    else {
      this.carry += rest;
      if (this.carry.length > this.maxLineBytes) {
        this.skipping = { line: this.lineNo + 1, bytes: Buffer.byteLength(this.carry) };
        this.carry = '';
      }
    }
  }

  /** The last line, when the file does not end with a line break. */
  end(out: NdjsonLine[]): void {
    if (this.carry !== '' || this.skipping) this.finish('', out);
  }

  private finish(piece: string, out: NdjsonLine[]): void {
    const line = ++this.lineNo;
    if (this.skipping) {
      const bytes = this.skipping.bytes + Buffer.byteLength(piece);
      this.skipping = undefined;
      out.push({ line, text: '', error: lineTooLong(bytes, this.maxLineBytes) });
      return;
    }
    let text = this.carry === '' ? piece : this.carry + piece;
    this.carry = '';
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return; // blank lines are not events
    if (text.length > this.maxLineBytes) out.push({ line, text: '', error: lineTooLong(Buffer.byteLength(text), this.maxLineBytes) });
    else out.push({ line, text });
  }
}

/** The non-blank lines of an NDJSON file, in batches (one per chunk read). */
export async function* readNdjsonBatches(path: string, opts: NdjsonReadOptions = {}): AsyncGenerator<NdjsonLine[]> {
  const stream = await openFileBytes(path, CHUNK_BYTES, opts.onBytes);
  const decoder = new StringDecoder('utf8');
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  try {
    for await (const chunk of stream) {
      const batch: NdjsonLine[] = [];
      splitter.push(decoder.write(chunk as Buffer), batch);
      if (batch.length > 0) yield batch;
    }
    const last: NdjsonLine[] = [];
    splitter.push(decoder.end(), last);
    splitter.end(last);
    if (last.length > 0) yield last;
  } finally {
    stream.destroy();
  }
}

/** The non-blank lines of an NDJSON file (.gz handled transparently), one by one. */
export async function* readNdjsonFile(path: string, opts: NdjsonReadOptions = {}): AsyncGenerator<NdjsonLine> {
  for await (const batch of readNdjsonBatches(path, opts)) yield* batch;
}
