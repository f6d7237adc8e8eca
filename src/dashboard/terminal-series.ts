// Per-terminal recent history for the terminal page: half-hour buckets of signal, host round trip,
// battery, temperature, read failures by entry mode and declines by response code over the last 48 h,
// plus the last events as a readable timeline. Bounded: the oldest-seen terminals are dropped past `maxTerminals`.

import type { PosEvent } from '../domain/index.ts';
import type { SeriesPoint, TerminalSeries, TimelineEntry } from './dashboard.types.ts';

const BUCKET_MS = 30 * 60_000;
const KEEP_BUCKETS = 96;
const KEEP_EVENTS = 60;
const APPROVED = new Set(['00', '10', '11']);

interface Bucket {
  t: number;
  txns: number;
  sums: { rssi: number; rtt: number; battery: number; temp: number };
  counts: { rssi: number; rtt: number; battery: number; temp: number };
  readFail: Record<string, number>;
  declines: Record<string, number>;
}

interface TerminalHistory {
  buckets: Map<number, Bucket>;
  newest: number;
  events: TimelineEntry[];
  versions?: { firmware?: string; app?: string };
  /** Time of the heartbeat the versions come from (older ones, e.g. rebuilt from the log, do not override). */
  versionsAt?: number;
  apps?: string[];
}

function describe(e: PosEvent): Pick<TimelineEntry, 'text' | 'level'> {
  switch (e.type) {
    case 'heartbeat': {
      const parts = [e.net?.type, e.net?.rssi_dbm !== undefined ? `${e.net.rssi_dbm} dBm` : undefined,
        e.printer && e.printer !== 'ok' ? `printer=${e.printer}` : undefined, e.tamper ? 'tamper=true' : undefined];
      return { text: parts.filter(Boolean).join(', ') || 'heartbeat', level: e.tamper ? 'error' : 'info' };
    }
    case 'txn': {
      const rc = e.timeout ? 'timeout' : `rc ${e.rc ?? '—'}`;
      const ok = !e.timeout && APPROVED.has(String(e.rc ?? ''));
      return { text: [e.entry, e.amount !== undefined ? String(e.amount) : undefined, rc].filter(Boolean).join(' · '), level: ok ? 'info' : 'warn' };
    }
    case 'error':
      return { text: [e.code, e.entry, e.message].filter(Boolean).join(' · '), level: 'error' };
    case 'boot':
      return { text: `boot: ${e.reason ?? 'unknown'}`, level: e.reason === 'crash' || e.reason === 'watchdog' ? 'warn' : 'info' };
    case 'update':
      return { text: `${e.component ?? 'update'} ${e.from ?? '?'} → ${e.to ?? '?'}: ${e.status ?? ''}`, level: e.status === 'failed' ? 'error' : 'info' };
    case 'report':
      return { text: `report: ${e.symptom ?? ''} ${e.text ?? ''}`.trim(), level: 'warn' };
  }
}

export class TerminalSeriesRecorder {
  private readonly terminals = new Map<string, TerminalHistory>();

  constructor(
    private readonly maxTerminals = 50_000,
    private readonly onVersion?: (terminal: string, version: string) => void,
  ) {}

  observe(e: PosEvent): void {
    let h = this.terminals.get(e.terminal);
    if (!h) {
      if (this.terminals.size >= this.maxTerminals) this.terminals.delete(this.terminals.keys().next().value!);
      h = { buckets: new Map(), newest: 0, events: [] };
      this.terminals.set(e.terminal, h);
    }
    this.fold(h, e);
    h.events.push({ ts: e.ts, type: e.type, ...describe(e) });
    if (h.events.length > KEEP_EVENTS * 2) {
      // events may arrive out of time order (late events, the log rebuilt after live ones): keep the newest
      h.events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
      h.events.splice(0, h.events.length - KEEP_EVENTS);
    }
    if (e.type === 'heartbeat' && e.versions && (e.versions.firmware || e.versions.app) && e.tsMs >= (h.versionsAt ?? 0)) {
      h.versionsAt = e.tsMs;
      h.versions = { ...h.versions, ...e.versions };
      if (e.apps) h.apps = e.apps;
      if (h.versions.app ?? h.versions.firmware) this.onVersion?.(e.terminal, (h.versions.app ?? h.versions.firmware)!);
    }
  }

  private fold(h: TerminalHistory, e: PosEvent): void {
    const t = Math.floor(e.tsMs / BUCKET_MS) * BUCKET_MS;
    if (t < h.newest - KEEP_BUCKETS * BUCKET_MS) return;
    let b = h.buckets.get(t);
    if (!b) {
      b = { t, txns: 0, sums: { rssi: 0, rtt: 0, battery: 0, temp: 0 }, counts: { rssi: 0, rtt: 0, battery: 0, temp: 0 }, readFail: {}, declines: {} };
      h.buckets.set(t, b);
      if (t > h.newest) {
        h.newest = t;
        for (const k of h.buckets.keys()) if (k < t - KEEP_BUCKETS * BUCKET_MS) h.buckets.delete(k);
      }
    }
    const add = (k: keyof Bucket['sums'], v: number | undefined) => {
      if (typeof v !== 'number') return;
      b.sums[k] += v;
      b.counts[k]++;
    };
    if (e.type === 'heartbeat') {
      add('rssi', e.net?.rssi_dbm);
      add('rtt', e.net?.host_rtt_ms);
      add('battery', e.battery?.level_pct);
      add('temp', e.env?.temp_c);
    } else if (e.type === 'txn') {
      b.txns++;
      add('rtt', e.latency_ms);
      if (e.entry === 'fallback') b.readFail.fallback = (b.readFail.fallback ?? 0) + 1;
      const rc = e.timeout ? 'timeout' : e.rc == null ? undefined : String(e.rc);
      if (rc && !APPROVED.has(rc)) b.declines[rc] = (b.declines[rc] ?? 0) + 1;
    } else if (e.type === 'error' && e.code === 'CARD_READ_FAIL') {
      const mode = e.entry ?? 'unknown';
      b.readFail[mode] = (b.readFail[mode] ?? 0) + 1;
    }
  }

  series(terminal: string): TerminalSeries | undefined {
    const h = this.terminals.get(terminal);
    if (!h) return undefined;
    const avg = (b: Bucket, k: keyof Bucket['sums']) => (b.counts[k] ? Math.round((b.sums[k] / b.counts[k]) * 10) / 10 : undefined);
    const points: SeriesPoint[] = [...h.buckets.values()]
      .sort((a, b) => a.t - b.t)
      .map((b) => ({ t: b.t, rssi: avg(b, 'rssi'), rtt: avg(b, 'rtt'), battery: avg(b, 'battery'), temp: avg(b, 'temp'), txns: b.txns, readFail: b.readFail, declines: b.declines }));
    const events = [...h.events].sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0)).slice(0, KEEP_EVENTS);
    return { bucketMs: BUCKET_MS, points, events, versions: h.versions, apps: h.apps };
  }
}
