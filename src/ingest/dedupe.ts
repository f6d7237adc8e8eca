// Which terminal+id pairs were seen recently: a Set of keys per time bucket, so whole buckets
// fall out of the window at once and memory stays bounded by the window.

export function dedupeKey(terminal: string, id: string): string {
  return `${terminal}\u0000${id}`;
}

export class DedupeIndex {
  private readonly buckets = new Map<number, Set<string>>();
  private readonly bucketMs: number;
  private current: { index: number; set: Set<string> } | undefined;
  private older: Set<string>[] = [];
  private keys = 0;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / 7));
  }

  has(key: string): boolean {
    for (const set of this.buckets.values()) if (set.has(key)) return true;
    return false;
  }

  /** Remembers `key` seen at `at` (ms) unless already known; true when it was new. One lookup on the hot path. */
  addIfNew(key: string, at: number): boolean {
    const index = Math.floor(at / this.bucketMs);
    if (this.current?.index !== index) this.switchTo(index, at);
    for (const set of this.older) if (set.has(key)) return false;
    const set = this.current!.set;
    const before = set.size;
    set.add(key);
    if (set.size === before) return false;
    this.keys++;
    return true;
  }

  /** Remembers a key seen at `at` (ms). */
  add(key: string, at: number): void {
    if (this.has(key)) return;
    const set = this.bucket(Math.floor(at / this.bucketMs), at);
    set.add(key);
    this.keys++;
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
        this.current = undefined;
      }
    }
  }

  size(): number {
    return this.keys;
  }

  private bucket(index: number, at: number): Set<string> {
    let set = this.buckets.get(index);
    if (!set) {
      set = new Set();
      this.buckets.set(index, set);
      this.expire(at);
      this.current = undefined;
    }
    return set;
  }

  private switchTo(index: number, at: number): void {
    const set = this.bucket(index, at);
    this.current = { index, set };
    this.older = [...this.buckets.entries()].filter(([i]) => i !== index).map(([, s]) => s);
  }
}
