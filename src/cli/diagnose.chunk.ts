// One chunk of NDJSON lines → what the engine needs: the validated events, a 53-bit hash of
// terminal+id per event for duplicate checks, and the invalid lines with their numbers. A task of
// the line pool (src/ingest/line-pool.ts): in-thread it returns the events themselves; in a worker,
// the engine's view of each event (engineView) as a shape-coded value stream (diagnose.shape.ts),
// which the main thread turns back into objects without parsing JSON again.
import { validateParsed, type PosEvent } from '../domain/index.ts';
import { UNREAD_FIELDS } from '../engine/index.ts';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong, type LineChunk } from '../ingest/index.ts';
import { decodeShapes, ShapeEncoder } from './diagnose.shape.ts';

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
  const text = `${terminal}\u0000${id}`;
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
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

function digestLine(text: string, index: number, bom: boolean, out: Out): void {
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  if (bom && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '')) return;
  if (text.length > DEFAULT_MAX_LINE_BYTES && Buffer.byteLength(text) > DEFAULT_MAX_LINE_BYTES) {
    out.invalid.push({ index, error: lineTooLong(Buffer.byteLength(text), DEFAULT_MAX_LINE_BYTES) });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    out.invalid.push({ index, error: `not valid JSON: ${(err as Error).message}` });
    return;
  }
  const v = validateParsed(parsed, text);
  if (!v.ok) {
    out.invalid.push({ index, error: v.error });
    return;
  }
  out.keys.push(eventKey(v.event.terminal, v.event.id));
  if (out.encoder) out.encoder.add(v.event, UNREAD);
  else out.events.push(v.event);
}

/** Digests `text` (whole lines; the first has index 0). `startsFile`: a byte-order mark may open it. */
export function digestChunk(text: string, startsFile: boolean, form: DigestForm = 'events'): ChunkDigest {
  const out: Out = { events: [], encoder: form === 'shapes' ? new ShapeEncoder() : undefined, keys: [], invalid: [] };
  let start = 0;
  let index = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    digestLine(text.slice(start, nl), index, startsFile && index === 0, out);
    start = nl + 1;
    index++;
  }
  if (start < text.length) digestLine(text.slice(start), index, startsFile && index === 0, out);
  const keys = Float64Array.from(out.keys);
  const e = out.encoder;
  const events = e ? { nums: Float64Array.from(e.nums), strs: e.strs, shapes: e.shapes } : out.events;
  return { events, keys, invalid: out.invalid, lines: index };
}

/** The line-pool task (src/ingest/line-pool.ts): options.form 'shapes' in workers, 'events' in-thread. */
export function digest(chunk: LineChunk, options: unknown): { result: ChunkDigest; transfer: ArrayBuffer[] } {
  const form = (options as { form?: DigestForm } | undefined)?.form ?? 'events';
  const result = digestChunk(chunk.bytes.toString('utf8'), chunk.startsFile, form);
  const transfer = [result.keys.buffer as ArrayBuffer];
  if (!Array.isArray(result.events)) transfer.push(result.events.nums.buffer as ArrayBuffer);
  return { result, transfer };
}

/** The events of a digest (rebuilds a worker's shape-coded views). */
export function digestEvents(digest: ChunkDigest): PosEvent[] {
  const e = digest.events;
  return Array.isArray(e) ? e : (decodeShapes(e.nums, e.strs, e.shapes) as PosEvent[]);
}
