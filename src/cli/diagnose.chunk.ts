// One chunk of NDJSON lines → what the engine needs: the validated events (only the fields it
// reads, as one JSON array text so that the main thread parses one compact string instead of
// receiving a structured clone), a 53-bit hash of terminal+id per event for duplicate checks,
// and the invalid lines with their numbers. Runs in worker threads and, for small inputs, in-thread.
import { validateParsed, type PosEvent } from '../domain/index.ts';
import { engineView } from '../engine/index.ts';
import { DEFAULT_MAX_LINE_BYTES, lineTooLong } from '../ingest/index.ts';

export interface ChunkDigest {
  /** The valid events in line order: from a worker, one JSON array of their engine views; in-thread, the events. */
  events: string | PosEvent[];
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

interface Out {
  /** Whether events are sent to another thread (as JSON of their engine views). */
  transfer: boolean;
  views: string[];
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
  if (out.transfer) out.views.push(JSON.stringify(engineView(v.event)));
  else out.events.push(v.event);
}

/**
 * Digests `text` (whole lines; the first has index 0). `startsFile`: a byte-order mark may open it.
 * `transfer`: the digest goes to another thread, so events become one compact JSON text.
 */
export function digestChunk(text: string, startsFile: boolean, transfer = false): ChunkDigest {
  const out: Out = { transfer, views: [], events: [], keys: [], invalid: [] };
  let start = 0;
  let index = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    digestLine(text.slice(start, nl), index, startsFile && index === 0, out);
    start = nl + 1;
    index++;
  }
  if (start < text.length) digestLine(text.slice(start), index, startsFile && index === 0, out);
  return { events: transfer ? `[${out.views.join(',')}]` : out.events, keys: Float64Array.from(out.keys), invalid: out.invalid, lines: index };
}
