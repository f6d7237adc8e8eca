// Status counts over time for the overview's 24 h / 7 day chart: one sample every few minutes, seven days
// kept, saved to the store's kv table when one is given. Before the server has samples of its own, the
// chart is estimated from the `since` of the current diagnoses (and marked so).

import type { DashboardKv, StatusSample, TerminalEntry } from './dashboard.types.ts';
import type { StatusCounts } from './fleet-view.ts';

const KEEP_MS = 7 * 24 * 3600_000;
const KV_KEY = 'dashboard.status_history';

export class StatusHistory {
  samples: StatusSample[] = [];

  constructor(private readonly kv?: DashboardKv) {}

  async load(): Promise<void> {
    if (!this.kv) return;
    const saved = await this.kv.get(KV_KEY).catch(() => undefined);
    if (Array.isArray(saved)) this.samples = saved.filter((s): s is StatusSample => typeof s?.t === 'number' && !s.estimated);
  }

  async sample(now: number, counts: StatusCounts): Promise<void> {
    this.samples.push({ t: now, ...counts });
    const cutoff = now - KEEP_MS;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop]!.t < cutoff) drop++;
    if (drop) this.samples.splice(0, drop);
    if (this.kv) await this.kv.set(KV_KEY, this.samples).catch(() => undefined);
  }

  /** Hourly estimates of the last 24 h before the first real sample, from the `since` of current diagnoses. */
  private estimated: StatusSample[] = [];

  /** Re-estimates (after each diagnosis refresh); nothing to do once a day of real samples exists. */
  estimate(now: number, entries: readonly TerminalEntry[]): void {
    const first = this.samples[0]?.t ?? now;
    const start = Math.floor((now - 24 * 3600_000) / 3600_000) * 3600_000;
    if (first - start < 3600_000) {
      this.estimated = [];
      return;
    }
    const since = { faulty: [] as number[], offline: [] as number[], degraded: [] as number[], locked: [] as number[] };
    for (const e of entries) {
      if (e.status === 'ok') continue;
      const t = e.since ? Date.parse(e.since) : NaN;
      since[e.status].push(Number.isNaN(t) ? start : t);
    }
    for (const k of Object.keys(since) as (keyof typeof since)[]) since[k].sort((a, b) => a - b);
    const upTo = (xs: number[], t: number) => {
      let lo = 0;
      let hi = xs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (xs[mid]! <= t) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const out: StatusSample[] = [];
    for (let t = start; t < first - 60_000; t += 3600_000) {
      const s: StatusSample = { t, ok: 0, degraded: upTo(since.degraded, t), faulty: upTo(since.faulty, t), offline: upTo(since.offline, t), locked: upTo(since.locked, t), estimated: true };
      s.ok = entries.length - s.degraded - s.faulty - s.offline - s.locked;
      out.push(s);
    }
    this.estimated = out;
  }

  /** Samples within the last `spanMs`, thinned to at most `max` points (max of each bucket kept). */
  window(now: number, spanMs: number, current?: StatusCounts, max = 300): StatusSample[] {
    const from = now - spanMs;
    const inside = [...this.estimated, ...this.samples].filter((s) => s.t >= from);
    if (current && (inside.at(-1)?.t ?? 0) < now - 1000) inside.push({ t: now, ...current });
    if (inside.length <= max) return inside;
    const step = Math.ceil(inside.length / max);
    const out: StatusSample[] = [];
    for (let i = 0; i < inside.length; i += step) {
      const group = inside.slice(i, i + step);
      out.push(group.reduce((a, b) => (b.faulty + b.offline > a.faulty + a.offline ? b : a)));
    }
    return out;
  }
}
