// Arrival order: events reach the server later than they happen (upload delays, batches after a
// reconnect), and a few are sent twice. Lines are kept in one bucket per second of arrival and
// released second by second, so arrival order costs no sorting.
import { Rng } from './random.ts';

interface Bucket {
  lines: string[];
  maxTs: number;
}

export class ArrivalQueue {
  private readonly buckets = new Map<number, Bucket>();
  private nextSecond = -Infinity;
  private readonly rng: Rng;
  /** Latest device timestamp among released lines. */
  maxTs = -Infinity;
  released = 0;

  constructor(seed: number, private readonly duplicateRate = 0.0015) {
    this.rng = new Rng(seed);
  }

  private add(arrival: number, line: string, ts: number): void {
    const sec = Math.max(Math.floor(arrival / 1000), this.nextSecond);
    let b = this.buckets.get(sec);
    if (!b) {
      b = { lines: [], maxTs: -Infinity };
      this.buckets.set(sec, b);
    }
    b.lines.push(line);
    if (ts > b.maxTs) b.maxTs = ts;
  }

  push(arrival: number, line: string, ts: number): void {
    this.add(arrival, line, ts);
    if (this.rng.next() < this.duplicateRate) this.add(arrival + this.rng.range(30_000, 1_200_000), line, ts);
  }

  /** Lines that arrived before `until` (ms), in arrival order. */
  releaseUntil(until: number, into: string[]): void {
    const last = Math.floor(until / 1000);
    let sec = this.nextSecond;
    if (!Number.isFinite(sec)) {
      sec = last;
      for (const k of this.buckets.keys()) if (k < sec) sec = k;
    }
    for (; sec < last; sec++) {
      const b = this.buckets.get(sec);
      if (!b) continue;
      this.buckets.delete(sec);
      for (const line of b.lines) into.push(line);
      this.released += b.lines.length;
      if (b.maxTs > this.maxTs) this.maxTs = b.maxTs;
    }
    this.nextSecond = last;
  }

  /** Events still on their way (they arrive after the end of the run and are not written). */
  get waiting(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.lines.length;
    return n;
  }
}
