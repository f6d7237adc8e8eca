// One chunk of NDJSON lines → what the engine needs: the validated events, a 53-bit hash of
// terminal+id per event for duplicate checks, and the invalid lines with their numbers. Runs in
// worker threads and, for small inputs, in-thread. A worker hands the events back as one JSON
// array text for the main thread to parse, in one of two forms (bench/README.md, engine):
// - 'lines': the valid lines as they came, plus each event's tsMs (the validator only adds tsMs to
//   the parsed line, so parsing the line again gives the same event). Cheapest for the worker;
//   chosen with a single worker, which is then the slower side of the pipeline.
// - 'views': JSON of only the fields the engine reads (engineView). A JSON.stringify per event in
//   the worker, but about 40% less text for the main thread to parse: chosen with 2+ workers,
//   when the main thread's fold is the slower side.
import { validateParsed, type PosEvent } from '../domain/index.ts';
import { engineView } from '../engine/index.ts';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong } from '../ingest/index.ts';

export interface ChunkDigest {
  /** The valid events in line order: from a worker, one JSON array text of the valid lines; in-thread, the events. */
  events: string | PosEvent[];
  /** With the 'lines' form: each event's tsMs (the validator's parse of its ts). */
  tsMs?: Float64Array;
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

/** How a digest carries its events: in-thread as objects, or as JSON text for another thread. */
export type DigestForm = 'events' | 'lines' | 'views';

interface Out {
  form: DigestForm;
  texts: string[];
  tsMs: number[];
  events: PosEvent[];
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
  if (out.form === 'events') out.events.push(v.event);
  else if (out.form === 'views') out.texts.push(JSON.stringify(engineView(v.event)));
  else {
    out.texts.push(text);
    out.tsMs.push(v.event.tsMs);
  }
}

/**
 * Digests `text` (whole lines; the first has index 0). `startsFile`: a byte-order mark may open it.
 * `form`: 'events' in-thread; 'lines' or 'views' when the digest goes to another thread (see above).
 */
export function digestChunk(text: string, startsFile: boolean, form: DigestForm = 'events'): ChunkDigest {
  const out: Out = { form, texts: [], tsMs: [], events: [], keys: [], invalid: [] };
  let start = 0;
  let index = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    digestLine(text.slice(start, nl), index, startsFile && index === 0, out);
    start = nl + 1;
    index++;
  }
  if (start < text.length) digestLine(text.slice(start), index, startsFile && index === 0, out);
  const keys = Float64Array.from(out.keys);
  if (form === 'events') return { events: out.events, keys, invalid: out.invalid, lines: index };
  const digest: ChunkDigest = { events: `[${out.texts.join(',')}]`, keys, invalid: out.invalid, lines: index };
  if (form === 'lines') digest.tsMs = Float64Array.from(out.tsMs);
  return digest;
}

/** The events of a digest (parses a worker's text form). */
export function digestEvents(digest: ChunkDigest): PosEvent[] {
  if (typeof digest.events !== 'string') return digest.events;
  const events = JSON.parse(digest.events) as PosEvent[];
  const tsMs = digest.tsMs;
  if (tsMs) for (let i = 0; i < events.length; i++) events[i]!.tsMs = tsMs[i]!;
  return events;
}
