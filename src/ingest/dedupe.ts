// Which terminal+id pairs were seen recently: a Set of keys per time bucket, so whole buckets
// fall out of the window at once and memory stays bounded by the window.

export function dedupeKey(terminal: string, id: string): string {
  return `${terminal}\u0000${id}`;
}

export class DedupeIndex {
  private readonly buckets = new Map<number, Set<string>>();
  private readonly bucketMs: number;
  private keys = 0;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / 7));
  }

  has(key: string): boolean {
    for (const set of this.buckets.values()) if (set.has(key)) return true;
    return false;
  }

  /** Remembers a key seen at `at` (ms). */
  add(key: string, at: number): void {
    const index = Math.floor(at / this.bucketMs);
    let set = this.buckets.get(index);
    if (!set) {
      set = new Set();
      this.buckets.set(index, set);
      this.expire(at);
    }
    const before = set.size;
    set.add(key);
    this.keys += set.size - before;
  }

  /** Forgets a key (its event could not be made durable, so a retry must not count as a duplicate). */
  delete(key: string, at: number): void {
    if (this.buckets.get(Math.floor(at / this.bucketMs))?.delete(key)) this.keys--;
  }

  /** Drops the buckets that lie wholly before the window ending at `now`. */
  expire(now: number): void {
    const oldest = Math.floor((now - this.windowMs) / this.bucketMs);
    for (const [index, set] of this.buckets) {
      if (index < oldest) {
        this.keys -= set.size;
        this.buckets.delete(index);
      }
    }
  }

  size(): number {
    return this.keys;
  }
}
