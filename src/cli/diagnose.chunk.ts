// One chunk of NDJSON lines → what the engine needs: the validated events, a 53-bit hash of
// terminal+id per event for duplicate checks, and the invalid lines with their numbers. A task of
// the line pool (src/ingest/line-pool.ts): in-thread it returns the events themselves; in a worker,
// the engine's view of each event (engineView) as a shape-coded value stream (diagnose.shape.ts),
// which the main thread turns back into objects without parsing JSON again.
import { isAscii } from 'node:buffer';
import { scanEvent, scanEventTokens, validateParsed, type PosEvent } from '../domain/index.ts';
import { UNREAD_FIELDS } from '../engine/index.ts';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong, type LineChunk } from '../ingest/index.ts';
import { decodeShapes, shapeReader, ShapeEncoder } from './diagnose.shape.ts';

/** The engine's views of a chunk's events, shape-coded (diagnose.shape.ts). */
export interface ShapedEvents {
  nums: Float64Array;
  strs: string[];
  shapes: string[];
}

export interface ChunkDigest {
  /** The valid events in line order: in-thread the events, from a worker their shape-coded views. */
  events: ShapedEvents | PosEvent[];
  /** terminal+id hash per event (same order). */
  keys: Float64Array;
  /** Invalid lines: 0-based index within the chunk, and the reason. */
  invalid: { index: number; error: string }[];
  /** Number of line breaks in the chunk (the last line of a file may have none). */
  lines: number;
}

/** FNV-1a and a second multiplicative hash over terminal, NUL, id, folded into 53 bits. */
export function eventKey(terminal: string, id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < terminal.length; i++) {
    const c = terminal.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b) ^ (b >>> 13);
  }
  a = Math.imul(a, 0x01000193); // the NUL between them (a ^ 0 === a)
  b = Math.imul(b, 0x85ebca6b) ^ (b >>> 13);
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x85ebca6b) ^ (b >>> 13);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
}

/** The fields the engine never reads (src/engine UNREAD_FIELDS): left out of the views sent back. */
const UNREAD: Readonly<Record<string, true | undefined>> = Object.fromEntries(UNREAD_FIELDS.map((k) => [k, true]));

/** How a digest carries its events: in-thread as objects, or shape-coded views for another thread. */
export type DigestForm = 'events' | 'shapes';

interface Out {
  events: PosEvent[];
  encoder: ShapeEncoder | undefined;
  keys: number[];
  invalid: ChunkDigest['invalid'];
}

/** The line text[start, end) (its line break left out). `fast`: try the scanner (validate.fast.ts) first. */
function digestLine(text: string, start: number, end: number, index: number, bom: boolean, fast: boolean, out: Out): void {
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  if (bom && text.charCodeAt(start) === 0xfeff) start++;
  if (end === start || (text.charCodeAt(start) <= 32 && text.slice(start, end).trim() === '')) return;
  if (fast && end - start <= DEFAULT_MAX_LINE_BYTES) {
    const encoder = out.encoder;
    if (encoder) {
      const scanned = scanEventTokens(text, start, end);
      if (scanned) {
        out.keys.push(eventKey(scanned.terminal, scanned.id));
        encoder.addScanned(scanned, UNREAD);
        return;
      }
    } else {
      const event = scanEvent(text, start, end);
      if (event) return accept(event, out);
    }
  }
  const line = text.slice(start, end);
  if (line.length > DEFAULT_MAX_LINE_BYTES && Buffer.byteLength(line) > DEFAULT_MAX_LINE_BYTES) {
    out.invalid.push({ index, error: lineTooLong(Buffer.byteLength(line), DEFAULT_MAX_LINE_BYTES) });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    out.invalid.push({ index, error: `not valid JSON: ${(err as Error).message}` });
    return;
  }
  const v = validateParsed(parsed, line);
  if (!v.ok) {
    out.invalid.push({ index, error: v.error });
    return;
  }
  accept(v.event, out);
}

function accept(event: PosEvent, out: Out): void {
  out.keys.push(eventKey(event.terminal, event.id));
  if (out.encoder) out.encoder.add(event, UNREAD);
  else out.events.push(event);
}

/**
 * Digests `text` (whole lines; the first has index 0). `startsFile`: a byte-order mark may open it.
 * `fast` (default true): lines go through the scanner first, JSON.parse + validateParsed only when it
 * is not certain; false skips it (the two give the same digest: validate.fast.test.ts).
 */
export function digestChunk(text: string, startsFile: boolean, form: DigestForm = 'events', fast = true): ChunkDigest {
  const out: Out = { events: [], encoder: form === 'shapes' ? new ShapeEncoder() : undefined, keys: [], invalid: [] };
  let start = 0;
  let index = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    digestLine(text, start, nl, index, startsFile && index === 0, fast, out);
    start = nl + 1;
    index++;
  }
  if (start < text.length) digestLine(text, start, text.length, index, startsFile && index === 0, fast, out);
  const keys = Float64Array.from(out.keys);
  const e = out.encoder;
  const events = e ? { nums: Float64Array.from(e.nums), strs: e.strs, shapes: e.shapes } : out.events;
  return { events, keys, invalid: out.invalid, lines: index };
}

/** The chunk's text: ASCII (the usual case) decoded as Latin-1, which is the same and twice as fast. */
export function chunkText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Options of the line-pool task: the digest's form ('shapes' in workers, 'events' in-thread) and the scanner switch. */
export interface DigestOptions {
  form?: DigestForm;
  fast?: boolean;
}

/** The line-pool task (src/ingest/line-pool.ts). */
export function digest(chunk: LineChunk, options: unknown): { result: ChunkDigest; transfer: ArrayBuffer[] } {
  const o = (options ?? {}) as DigestOptions;
  const result = digestChunk(chunkText(chunk.bytes), chunk.startsFile, o.form ?? 'events', o.fast ?? true);
  const transfer = [result.keys.buffer as ArrayBuffer];
  if (!Array.isArray(result.events)) transfer.push(result.events.nums.buffer as ArrayBuffer);
  return { result, transfer };
}

/** The events of a digest (rebuilds a worker's shape-coded views). */
export function digestEvents(digest: ChunkDigest): PosEvent[] {
  const e = digest.events;
  return Array.isArray(e) ? e : (decodeShapes(e.nums, e.strs, e.shapes) as PosEvent[]);
}

/** The events of a digest one at a time, in order (a worker's shape-coded views rebuilt as they are taken). */
export function eventReader(digest: ChunkDigest): () => PosEvent {
  const e = digest.events;
  if (!Array.isArray(e)) return shapeReader(e.nums, e.strs, e.shapes) as () => PosEvent;
  let i = 0;
  return () => e[i++]!;
}
