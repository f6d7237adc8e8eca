// Which terminal+id pairs were seen recently: per time bucket, the ids seen per terminal, so whole
// buckets fall out of the window at once and memory stays bounded by the window. Keyed by the two
// strings as they come (no "terminal\0id" string built and hashed per event; terminal names are
// few and repeat, so their hash is cached on the string).

type Bucket = Map<string, Set<string>>;

export class DedupeIndex {
  private readonly buckets = new Map<number, Bucket>();
  private readonly bucketMs: number;
  private current: { index: number; bucket: Bucket } | undefined;
  private older: Bucket[] = [];
  private keys = 0;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1, Math.ceil(windowMs / 7));
  }

  has(terminal: string, id: string): boolean {
    for (const b of this.buckets.values()) if (b.get(terminal)?.has(id)) return true;
    return false;
  }

  /** Remembers terminal+id seen at `at` (ms) unless already known; true when it was new. One lookup per bucket on the hot path. */
  addIfNew(terminal: string, id: string, at: number): boolean {
    const index = Math.floor(at / this.bucketMs);
    if (this.current?.index !== index) this.switchTo(index, at);
    const older = this.older;
    for (let i = 0; i < older.length; i++) if (older[i]!.get(terminal)?.has(id)) return false;
    const bucket = this.current!.bucket;
    let ids = bucket.get(terminal);
    if (ids === undefined) bucket.set(terminal, (ids = new Set()));
    const before = ids.size;
    ids.add(id);
    if (ids.size === before) return false;
    this.keys++;
    return true;
  }

  /** Remembers terminal+id seen at `at` (ms). */
  add(terminal: string, id: string, at: number): void {
    if (this.has(terminal, id)) return;
    const bucket = this.bucket(Math.floor(at / this.bucketMs), at);
    let ids = bucket.get(terminal);
    if (ids === undefined) bucket.set(terminal, (ids = new Set()));
    ids.add(id);
    this.keys++;
  }

  /** Forgets terminal+id (its event could not be made durable, so a retry must not count as a duplicate). */
  delete(terminal: string, id: string, at: number): void {
    if (this.buckets.get(Math.floor(at / this.bucketMs))?.get(terminal)?.delete(id)) this.keys--;
  }

  /** Drops the buckets that lie wholly before the window ending at `now`. */
  expire(now: number): void {
    const oldest = Math.floor((now - this.windowMs) / this.bucketMs);
    for (const [index, bucket] of this.buckets) {
      if (index < oldest) {
        for (const ids of bucket.values()) this.keys -= ids.size;
        this.buckets.delete(index);
        this.current = undefined;
      }
    }
  }

  size(): number {
    return this.keys;
  }

  private bucket(index: number, at: number): Bucket {
    let bucket = this.buckets.get(index);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(index, bucket);
      this.expire(at);
      this.current = undefined;
    }
    return bucket;
  }

  private switchTo(index: number, at: number): void {
    const bucket = this.bucket(index, at);
    this.current = { index, bucket };
    this.older = [...this.buckets.entries()].filter(([i]) => i !== index).map(([, b]) => b);
  }
}
