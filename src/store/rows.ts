// Small conversions between JavaScript values and rows, shared by the repositories.

/** Splits a list into chunks of at most `size` (for multi-row statements). */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Keeps the last item for each key, in first-seen order (one statement may not touch a row twice). */
export function lastByKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return [...byKey.values()];
}

/** Drops null and undefined fields (registry objects leave absent fields out). */
export function compact<T extends object>(row: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}

/** RFC 3339 in UTC, without milliseconds when they are zero ("2026-11-20T18:00:00Z"). */
export function isoTime(value: Date | string | number): string {
  const iso = new Date(value).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A time given as RFC 3339 text, epoch milliseconds or a Date, as a Date for the driver. */
export function toDate(value: Date | string | number): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${String(value)}`);
  return d;
}
