// The arrival clock: an estimate of "the time the event was received" from the fleet's own
// device clocks. Lines arrive roughly in time order; a high percentile of the recent device
// times, never going backwards, ignores the few terminals whose clocks are badly wrong.

const WINDOW = 256;
const RECOMPUTE = 32;

export class ArrivalClock {
  private readonly recent = new Float64Array(WINDOW);
  private count = 0;
  private now = 0;
  first = 0;

  /** Notes a device time (ms) and returns the arrival estimate for this event. */
  observe(tsMs: number): number {
    this.recent[this.count % WINDOW] = tsMs;
    this.count++;
    if (this.count <= RECOMPUTE || this.count % RECOMPUTE === 0) this.recompute();
    if (this.first === 0) this.first = this.now;
    return this.now;
  }

  private recompute(): void {
    const n = Math.min(this.count, WINDOW);
    const sorted = this.recent.slice(0, n).sort();
    const p = sorted[Math.min(n - 1, Math.floor(n * 0.7))]!;
    if (p > this.now) this.now = p;
  }

  value(): number {
    return this.now;
  }

  toJSON(): { now: number; first: number } {
    return { now: this.now, first: this.first };
  }

  restore(x: { now: number; first: number }): void {
    this.now = x.now;
    this.first = x.first;
  }
}
