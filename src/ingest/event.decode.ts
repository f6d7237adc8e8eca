// Turns one ingest item (a raw line or a parsed value) into a validated event and the exact JSON
// text to store. A valid raw line is stored as it came, so the hot path never re-serialises.
import { validateEvent, validateParsed, type PosEvent } from '../domain/index.ts';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

export type Decoded = { ok: true; event: PosEvent; stored: string } | { ok: false; error: string };

const BINARY_RE = /[\u0000-\u0008\u000e-\u001f\ufffd]/;
const LONG_DIGITS_RE = /\d{12,}/g;

export function lineTooLong(bytes: number, limit: number): string {
  return `line is ${bytes} bytes, over the ${limit}-byte limit`;
}

function notJson(text: string, err: unknown): string {
  if (BINARY_RE.test(text)) return 'not valid JSON: the line holds binary data';
  // V8 quotes a piece of the input; never echo what could be a card number.
  const message = String((err as Error).message ?? err).replace(LONG_DIGITS_RE, '…').slice(0, 200);
  return `not valid JSON: ${message}`;
}

/** The stored form of a parsed event: its JSON without the tsMs the validator added. */
function storedJson(event: PosEvent): string {
  const tsMs = event.tsMs;
  delete (event as Partial<PosEvent>).tsMs;
  const text = JSON.stringify(event);
  event.tsMs = tsMs;
  return text;
}

/** Decodes and validates one raw line (without its line break). */
export function decodeLine(text: string, maxLineBytes: number): Decoded {
  if (text.length * 3 > maxLineBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxLineBytes) return { ok: false, error: lineTooLong(bytes, maxLineBytes) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: text.trim() === '' ? 'empty line' : notJson(text, err) };
  }
  const v = validateParsed(parsed, text);
  return v.ok ? { ok: true, event: v.event, stored: text } : v;
}

/** Decodes and validates one item; never throws. */
export function decodeItem(item: unknown, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Decoded {
  if (typeof item === 'string') return decodeLine(item, maxLineBytes);
  if (item instanceof Uint8Array) {
    if (item.length > maxLineBytes) return { ok: false, error: lineTooLong(item.length, maxLineBytes) };
    return decodeLine(Buffer.from(item.buffer, item.byteOffset, item.length).toString('utf8'), maxLineBytes);
  }
  const v = validateEvent(item);
  return v.ok ? { ok: true, event: v.event, stored: storedJson(v.event) } : v;
}
