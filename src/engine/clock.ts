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
    this.who[this.count % WINDOW] = terminal;
    this.recent[this.count % WINDOW] = tsMs;
    this.count++;
    const n = Math.min(this.count, WINDOW);
    const median = this.median(n);
    if (median > this.now) this.now = median;
    if (tsMs > this.now && tsMs - median <= AGREE_MS) this.now = tsMs;
    this.coherent = this.agreement(n, median);
    if (this.first === 0) this.first = this.now;
    return this.now;
  }

  private median(n: number): number {
    const a = this.sorted;
    for (let i = 0; i < n; i++) {
      const v = this.recent[i]!;
      let j = i - 1;
      while (j >= 0 && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
    return a[(n - 1) >> 1]!;
  }

  private agreement(n: number, median: number): boolean {
    let agree = 0;
    let a = '';
    let b = '';
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      if (Math.abs(this.recent[i]! - median) > AGREE_MS) continue;
      agree++;
      const w = this.who[i]!;
      if (distinct === 0) [a, distinct] = [w, 1];
      else if (distinct === 1 && w !== a) [b, distinct] = [w, 2];
      else if (distinct === 2 && w !== a && w !== b) distinct = 3;
    }
    return agree > n / 2 && distinct >= 3;
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
