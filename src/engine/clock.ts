// The arrival clock: an estimate of "the time the event was received" from the fleet's own
// device clocks. Lines arrive roughly in time order; the median of the last few device
// times, never going backwards, ignores the few terminals whose clocks are badly wrong and
// follows the fleet quickly after a quiet night.

const WINDOW = 15;
const AGREE_MS = 10 * 60_000;

export class ArrivalClock {
  private readonly recent = new Float64Array(WINDOW);
  private readonly sorted = new Float64Array(WINDOW);
  private readonly who: string[] = new Array<string>(WINDOW).fill('');
  /** Whether most recent events agree on the time and come from several terminals. */
  coherent = false;
  private count = 0;
  private now = 0;
  first = 0;

  /** Notes a device time (ms) and returns the arrival estimate for this event. */
  observe(tsMs: number, terminal = ''): number {
    const slot = this.count % WINDOW;
    const n = Math.min(this.count + 1, WINDOW);
    // the sorted window is kept up to date: drop the value leaving the ring, insert the new one
    this.replaceSorted(this.count >= WINDOW, this.recent[slot]!, tsMs, n);
    this.who[slot] = terminal;
    this.recent[slot] = tsMs;
    this.count++;
    const median = this.sorted[(n - 1) >> 1]!;
    if (median > this.now) this.now = median;
    if (tsMs > this.now && tsMs - median <= AGREE_MS) this.now = tsMs;
    this.coherent = this.agreement(n, median);
    if (this.first === 0) this.first = this.now;
    return this.now;
  }

  /** Sorted window of `n` values after replacing `out` (when `full`; else the window grows) by `v`. */
  private replaceSorted(full: boolean, out: number, v: number, n: number): void {
    const a = this.sorted;
    if (full) {
      let i = 0;
      while (i < n - 1 && a[i] !== out) i++;
      for (; i < n - 1; i++) a[i] = a[i + 1]!;
    }
    // a[0..n-1) is sorted; insert v
    let j = n - 2;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }

  private agreement(n: number, median: number): boolean {
    let agree = 0;
    const s = this.sorted;
    for (let i = 0; i < n; i++) if (Math.abs(s[i]! - median) <= AGREE_MS) agree++;
    if (!(agree > n / 2)) return false;
    // at least three different terminals among the agreeing times
    let a: string | undefined;
    let b: string | undefined;
    for (let i = 0; i < n; i++) {
      if (Math.abs(this.recent[i]! - median) > AGREE_MS) continue;
      const w = this.who[i]!;
      if (a === undefined) a = w;
      else if (w === a) continue;
      else if (b === undefined) b = w;
      else if (w !== b) return true;
    }
    return false;
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
