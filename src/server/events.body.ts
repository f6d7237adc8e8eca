// Decodes the body of POST /api/v1/events into items for the ingestor: one event object, a JSON array,
// or NDJSON. Items that cannot be parsed stay raw text so the ingestor rejects them one by one with
// their index; the whole body is refused (INGEST_BODY_UNREADABLE) only when nothing can be read.

import { PosopsError } from '../domain/index.ts';

export interface DecodedBody {
  /** Parsed JSON values, or raw text of an element/line that does not parse. */
  items: unknown[];
  /** Index to report for each item (NDJSON: the 0-based line number; otherwise the item's position). */
  indexes: number[];
}

function unreadable(message: string): never {
  throw new PosopsError('INGEST_BODY_UNREADABLE', message);
}

/** Splits NDJSON into its non-blank lines, remembering each line's 0-based number. */
export function decodeNdjson(text: string): DecodedBody {
  const items: unknown[] = [];
  const indexes: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    items.push(line);
    indexes.push(i);
  }
  if (items.length === 0) unreadable('the body holds no events (empty NDJSON)');
  return { items, indexes };
}

/**
 * Splits the text of a JSON array into the source text of its elements, without parsing them,
 * so that one broken element does not hide the others. Returns undefined when it is not an array.
 */
export function splitJsonArray(text: string): string[] | undefined {
  const s = text.trim();
  if (!s.startsWith('[') || !s.endsWith(']')) return undefined;
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 1;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
    else if (c === 44 /* , */ && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = s.slice(start, s.length - 1).trim();
  if (last.length > 0 || out.length > 0) out.push(last);
  return out;
}

function positions(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function decodeJson(text: string): DecodedBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const elements = splitJsonArray(text);
    if (elements && elements.length > 0) return { items: elements, indexes: positions(elements.length) };
    if (text.includes('\n')) return decodeNdjsonIfAnyLineParses(text, err as Error);
    return unreadable(`the body is not JSON: ${(err as Error).message}`);
  }
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) unreadable('the body is an empty array: no events');
    return { items: parsed, indexes: positions(parsed.length) };
  }
  if (typeof parsed === 'object' && parsed !== null) return { items: [parsed], indexes: [0] };
  return unreadable('the body must be one event object, a JSON array of events, or NDJSON');
}

/** A body sent as JSON that is really NDJSON: accepted when at least one line parses. */
function decodeNdjsonIfAnyLineParses(text: string, jsonError: Error): DecodedBody {
  const body = decodeNdjson(text);
  const anyParses = body.items.some((line) => {
    try {
      JSON.parse(line as string);
      return true;
    } catch {
      return false;
    }
  });
  if (!anyParses) unreadable(`the body is neither JSON nor NDJSON: ${jsonError.message}`);
  return body;
}

/** Decodes a request body by its content type. */
export function decodeEventsBody(body: Buffer | string | undefined, contentType: string | undefined): DecodedBody {
  const text = body === undefined ? '' : typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim().length === 0) unreadable('the body is empty: send one event object, a JSON array of events, or NDJSON');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/ndjson') return decodeNdjson(text);
  return decodeJson(text);
}
