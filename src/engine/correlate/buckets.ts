// Time-bucketed aggregates: one small record per bucket (e.g. 5 minutes), old buckets dropped.
// Cost grows with the time kept, not with the number of terminals feeding the buckets.

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class Buckets<T> {
  private readonly map = new Map<number, T>();
  private newest = -Infinity;

  constructor(
    readonly widthMs: number,
    private readonly keepMs: number,
    private readonly make: () => T,
  ) {}

  /** The bucket holding `ts`, created when missing. */
  at(ts: number): T {
    const key = Math.floor(ts / this.widthMs);
    let bucket = this.map.get(key);
    if (!bucket) {
      bucket = this.make();
      this.map.set(key, bucket);
      if (key > this.newest) this.advance(key);
    }
    return bucket;
  }

  /** Buckets whose start lies in [from, to), oldest first. */
  *between(from: number, to: number): Generator<[start: number, bucket: T]> {
    const first = Math.floor(from / this.widthMs);
    const last = Math.ceil(to / this.widthMs) - 1;
    for (let key = first; key <= last; key++) {
      const bucket = this.map.get(key);
      if (bucket) yield [key * this.widthMs, bucket];
    }
  }

  /** [bucket key, bucket] pairs, for a snapshot. */
  entries(): [number, T][] {
    return [...this.map];
  }

  /** Puts back what entries() gave. */
  restore(entries: readonly [number, T][]): void {
    for (const [key, bucket] of entries) {
      this.map.set(key, bucket);
      if (key > this.newest) this.newest = key;
    }
  }

  private advance(key: number): void {
    this.newest = key;
    const oldest = key - Math.ceil(this.keepMs / this.widthMs);
    if (this.map.size <= 2 * Math.ceil(this.keepMs / this.widthMs)) return;
    for (const k of this.map.keys()) if (k < oldest) this.map.delete(k);
  }
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  // a typed array sorts numbers natively (no comparator call per comparison)
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}
