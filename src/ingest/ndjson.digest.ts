// Line-pool task of `posops import` (line-pool.ts): parses and validates each line of a chunk with
// the ingestor's own decodeLine and answers with what the main thread needs, as compact arrays —
// where each valid line lies in the chunk's bytes (the log stores the line as it came), its
// terminal and id for duplicates, its tsMs — and the invalid lines with their reason.
import { isAscii } from 'node:buffer';
import { DEFAULT_MAX_LINE_BYTES, decodeLine } from './event.decode.ts';
import type { LineChunk } from './line-pool.ts';

export interface ImportDigest {
  /** Byte start and end (exclusive) of each valid line in the chunk. */
  spans: Int32Array;
  /** Terminal then id of each valid line, concatenated; their lengths in keyLens (2 per line). */
  keyText: string;
  keyLens: Int32Array;
  tsMs: Float64Array;
  /** 0-based line index in the chunk and the reason. */
  invalid: { index: number; error: string }[];
}

interface Out {
  spans: number[];
  keys: string[];
  keyLens: number[];
  tsMs: number[];
  invalid: ImportDigest['invalid'];
  maxLineBytes: number;
}

function digestLine(text: string, start: number, end: number, index: number, bom: boolean, out: Out): void {
  if (text.charCodeAt(text.length - 1) === 13) {
    text = text.slice(0, -1);
    end--;
  }
  if (bom && text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
    start += 3;
  }
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return; // blank lines are not events
  const d = decodeLine(text, out.maxLineBytes);
  if (!d.ok) {
    out.invalid.push({ index, error: d.error });
    return;
  }
  const { terminal, id } = d.event;
  out.spans.push(start, end);
  out.keys.push(terminal, id);
  out.keyLens.push(terminal.length, id.length);
  out.tsMs.push(d.event.tsMs);
}

/** Calls `each(text, byteStart, byteEnd, index)` for every line of the chunk. */
export function forEachLine(bytes: Buffer, each: (text: string, start: number, end: number, index: number) => void): void {
  let index = 0;
  if (isAscii(bytes)) {
    const text = bytes.toString('latin1'); // the same as UTF-8 for ASCII, and twice as fast
    // ASCII: character offsets are byte offsets, one decode for the whole chunk
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      each(text.slice(start, nl), start, nl, index++);
      start = nl + 1;
    }
    if (start < text.length) each(text.slice(start), start, text.length, index);
    return;
  }
  let start = 0;
  for (let nl = bytes.indexOf(10); nl !== -1; nl = bytes.indexOf(10, start)) {
    each(bytes.toString('utf8', start, nl), start, nl, index++);
    start = nl + 1;
  }
  if (start < bytes.length) each(bytes.toString('utf8', start), start, bytes.length, index);
}

export function digest(chunk: LineChunk, options: unknown): { result: ImportDigest; transfer: ArrayBuffer[] } {
  const maxLineBytes = (options as { maxLineBytes?: number } | undefined)?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const out: Out = { spans: [], keys: [], keyLens: [], tsMs: [], invalid: [], maxLineBytes };
  forEachLine(chunk.bytes, (text, start, end, index) => digestLine(text, start, end, index, chunk.startsFile && index === 0, out));
  const result: ImportDigest = {
    spans: Int32Array.from(out.spans),
    keyText: out.keys.join(''),
    keyLens: Int32Array.from(out.keyLens),
    tsMs: Float64Array.from(out.tsMs),
    invalid: out.invalid,
  };
  return { result, transfer: [result.spans.buffer, result.keyLens.buffer, result.tsMs.buffer] as ArrayBuffer[] };
}
