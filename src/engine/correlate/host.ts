// Per payment host: 5-minute buckets of round-trip times, latencies and failures (91/96/timeouts),
// plus the terminals whose own samples are currently elevated or failing.

import type { PosEvent, TxnEvent } from '../../domain/index.ts';
import { Buckets, DAY, MINUTE, median } from './buckets.ts';
import type { FleetIndex } from './fleet.ts';

export const BUCKET_MS = 5 * MINUTE;
const ELEVATED = 2.5;

export interface HostBucket {
  rttSum: number;
  rttN: number;
  latSum: number;
  latN: number;
  txn: number;
  fail: number;
}

export interface Mark {
  first: number;
  last: number;
  n: number;
}

export interface Baseline {
  rtt?: number;
  lat?: number;
  failRate?: number;
}

export interface HostState {
  buckets: Buckets<HostBucket>;
  /** Terminals whose latest round trips are several times the host's baseline. */
  elevated: Map<string, Mark>;
  /** Terminals that recently got 91/96 or timed out. */
  failing: Map<string, Mark>;
  baseline: Baseline;
  baselineKey: number;
}

const emptyBucket = (): HostBucket => ({ rttSum: 0, rttN: 0, latSum: 0, latN: 0, txn: 0, fail: 0 });

export function isHostFailure(e: TxnEvent): boolean {
  return e.timeout === true || e.rc === '91' || e.rc === '96';
}

export class HostTracker {
  readonly hosts = new Map<string, HostState>();

  constructor(private readonly fleet: FleetIndex) {}

  observe(event: PosEvent): void {
    if (event.type !== 'heartbeat' && event.type !== 'txn') return;
    const host = this.fleet.hostOf(event.terminal);
    if (!host) return;
    const state = this.state(host, event.tsMs);
    const bucket = state.buckets.at(event.tsMs);
    if (event.type === 'heartbeat') {
      const rtt = event.net?.host_rtt_ms;
      if (typeof rtt !== 'number') return;
      bucket.rttSum += rtt;
      bucket.rttN++;
      markLatency(state, event.terminal, event.tsMs, rtt, state.baseline.rtt);
      return;
    }
    bucket.txn++;
    if (isHostFailure(event)) {
      bucket.fail++;
      mark(state.failing, event.terminal, event.tsMs);
    } else if (typeof event.latency_ms === 'number' && event.latency_ms < 30_000) {
      bucket.latSum += event.latency_ms;
      bucket.latN++;
      markLatency(state, event.terminal, event.tsMs, event.latency_ms, state.baseline.lat);
    }
  }

  private state(host: string, ts: number): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = { buckets: new Buckets(BUCKET_MS, 2 * DAY, emptyBucket), elevated: new Map(), failing: new Map(), baseline: {}, baselineKey: -1 };
      this.hosts.set(host, state);
    }
    const key = Math.floor(ts / BUCKET_MS);
    if (key > state.baselineKey) {
      state.baseline = hostBaseline(state, ts);
      state.baselineKey = key;
    }
    return state;
  }

  snapshot(): HostSnapshot {
    const out: HostSnapshot = {};
    for (const [host, s] of this.hosts) {
      out[host] = {
        b: s.buckets.entries().map(([k, b]) => [k, b.rttSum, b.rttN, b.latSum, b.latN, b.txn, b.fail]),
        e: marks(s.elevated),
        f: marks(s.failing),
        base: s.baseline,
        key: s.baselineKey,
      };
    }
    return out;
  }

  restore(snap: HostSnapshot | undefined): void {
    for (const [host, x] of Object.entries(snap ?? {})) {
      const state = this.state(host, -Infinity);
      state.buckets.restore(x.b.map(([k, rttSum, rttN, latSum, latN, txn, fail]) => [k, { rttSum, rttN, latSum, latN, txn, fail }]));
      state.elevated = new Map(x.e.map(([t, first, last, n]) => [t, { first, last, n }]));
      state.failing = new Map(x.f.map(([t, first, last, n]) => [t, { first, last, n }]));
      state.baseline = x.base;
      state.baselineKey = x.key;
    }
  }

  /** Drops marks not refreshed since `before`. */
  prune(before: number): void {
    for (const state of this.hosts.values()) {
      for (const map of [state.elevated, state.failing]) {
        for (const [terminal, m] of map) if (m.last < before) map.delete(terminal);
      }
    }
  }
}

type MarkRow = [terminal: string, first: number, last: number, n: number];

export type HostSnapshot = Record<string, { b: [number, number, number, number, number, number, number][]; e: MarkRow[]; f: MarkRow[]; base: Baseline; key: number }>;

function marks(map: Map<string, Mark>): MarkRow[] {
  return [...map].map(([t, m]) => [t, m.first, m.last, m.n]);
}

function mark(map: Map<string, Mark>, terminal: string, ts: number): void {
  const m = map.get(terminal);
  if (!m) map.set(terminal, { first: ts, last: ts, n: 1 });
  else {
    m.first = Math.min(m.first, ts);
    m.last = Math.max(m.last, ts);
    m.n++;
  }
}

function markLatency(state: HostState, terminal: string, ts: number, value: number, base: number | undefined): void {
  if (base === undefined) return;
  if (value >= ELEVATED * base && value - base >= 100) return mark(state.elevated, terminal, ts);
  const m = state.elevated.get(terminal);
  if (m && ts > m.last && --m.n <= 0) state.elevated.delete(terminal);
}

/** Median of the 5-minute means over the day before `ts` (leaving out the last 30 minutes). */
export function hostBaseline(state: HostState, ts: number): Baseline {
  const rtt: number[] = [];
  const lat: number[] = [];
  let txn = 0;
  let fail = 0;
  for (const [, b] of state.buckets.between(ts - DAY, ts - 30 * MINUTE)) {
    if (b.rttN >= 2) rtt.push(b.rttSum / b.rttN);
    if (b.latN >= 2) lat.push(b.latSum / b.latN);
    txn += b.txn;
    fail += b.fail;
  }
  return {
    rtt: rtt.length >= 6 ? median(rtt) : undefined,
    lat: lat.length >= 6 ? median(lat) : undefined,
    failRate: txn >= 20 ? fail / txn : undefined,
  };
}

export interface Window {
  rtt?: number;
  lat?: number;
  txn: number;
  fail: number;
  /** Round trips and latencies in the window. */
  samples: number;
}

export function hostWindow(state: HostState, from: number, to: number): Window {
  let rttSum = 0, rttN = 0, latSum = 0, latN = 0, txn = 0, fail = 0;
  for (const [, b] of state.buckets.between(from, to)) {
    rttSum += b.rttSum;
    rttN += b.rttN;
    latSum += b.latSum;
    latN += b.latN;
    txn += b.txn;
    fail += b.fail;
  }
  return { rtt: rttN >= 3 ? rttSum / rttN : undefined, lat: latN >= 3 ? latSum / latN : undefined, txn, fail, samples: rttN + latN };
}

/** How many times slower than the baseline the window is (the larger of round trip and latency). */
export function slowdown(w: Window, base: Baseline): number | undefined {
  const ratios: number[] = [];
  if (w.rtt !== undefined && base.rtt) ratios.push(w.rtt / base.rtt);
  if (w.lat !== undefined && base.lat) ratios.push(w.lat / base.lat);
  return ratios.length ? Math.max(...ratios) : undefined;
}
