// Data builders for engine tests: events with sensible defaults, and a healthy shop's day.

import type { PosEvent, Registry, RegistryTerminal } from '../domain/index.ts';
import { createEngine, type Engine } from './engine.ts';

let seq = 0;
const T0 = Date.parse('2026-06-04T00:00:00Z');

/** Minutes after 2026-06-04T00:00Z as epoch ms. */
export const at = (minutes: number): number => T0 + minutes * 60_000;

function envelope(type: PosEvent['type'], o: { terminal?: string; t: number; id?: string }): Record<string, unknown> {
  return { v: 1, id: o.id ?? `e${++seq}`, type, terminal: o.terminal ?? 'T1', ts: new Date(o.t).toISOString(), tsMs: o.t };
}

type Fields = { terminal?: string; t: number; id?: string } & Record<string, unknown>;

export const heartbeat = (o: Fields): PosEvent =>
  ({ net: { type: 'ethernet', host_rtt_ms: 60, dns_ok: true }, printer: 'ok', env: { temp_c: 35 }, ...envelope('heartbeat', o), ...strip(o) }) as unknown as PosEvent;
export const txn = (o: Fields): PosEvent =>
  ({ entry: 'chip', rc: '00', latency_ms: 400, operator: '01', amount: 1000, ...envelope('txn', o), ...strip(o) }) as unknown as PosEvent;
export const error = (o: Fields & { code: string }): PosEvent => ({ ...envelope('error', o), ...strip(o) }) as unknown as PosEvent;
export const boot = (o: Fields): PosEvent => ({ reason: 'power_on', ...envelope('boot', o), ...strip(o) }) as unknown as PosEvent;
export const report = (o: Fields & { symptom: string }): PosEvent => ({ ...envelope('report', o), ...strip(o) }) as unknown as PosEvent;
export const update = (o: Fields): PosEvent => ({ ...envelope('update', o), ...strip(o) }) as unknown as PosEvent;

function strip(o: Fields): Record<string, unknown> {
  const { t: _t, ...rest } = o;
  return rest;
}

export function terminal(o: Partial<RegistryTerminal> & { terminal: string }): RegistryTerminal {
  return { merchant: `M-${o.terminal}`, model: 'A8', region: 'Hangzhou', carrier: 'CMCC', host: 'acq-main', sim_expires: '2030-01-01', lease_expires: '2030-01-01', ...o };
}

export function registry(terminals: RegistryTerminal[], extra: Partial<Registry> = {}): Registry {
  return { terminals, merchants: [], models: [{ model: 'A8', vendor: 'V', min_firmware: '5.0.0', min_app: '3.0.0' }], maintenance: [], ...extra };
}

/** A deterministic pseudo-random sequence. */
export function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => ((x = (x * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const DECLINES = ['51', '05', '54', '57', '55', '61'];

/**
 * A healthy shop: heartbeats every 5 minutes and a transaction every ~6 minutes from `open` to
 * `close` (minutes of each day), a few normal declines, ~1% chip and ~2% contactless misreads;
 * `apps` (third-party apps) are listed in every heartbeat when given.
 */
export function shopDays(o: { terminal: string; days: number; open: number; close: number; seed?: number; operators?: string[]; apps?: string[] }): PosEvent[] {
  const rnd = random(o.seed ?? 7);
  const ops = o.operators ?? ['01', '02'];
  const out: PosEvent[] = [];
  for (let d = 0; d < o.days; d++) {
    const base = d * 1440;
    out.push(boot({ terminal: o.terminal, t: at(base + o.open) }));
    for (let m = o.open; m < o.close; m += 5) {
      out.push(heartbeat({ terminal: o.terminal, t: at(base + m), versions: { firmware: '5.1.0', app: '3.2.0' }, reader: { chip: 'ok', contactless: 'ok', magstripe: 'ok' }, storage_free_mb: 3000, ...(o.apps ? { apps: o.apps } : {}) }));
      if (rnd() < 0.8) {
        const entry = rnd() < 0.5 ? 'chip' : rnd() < 0.7 ? 'contactless' : 'qr';
        const operator = ops[Math.floor(rnd() * ops.length)]!;
        if (entry !== 'qr' && rnd() < (entry === 'chip' ? 0.01 : 0.02)) out.push(error({ terminal: o.terminal, t: at(base + m + 1), code: 'CARD_READ_FAIL', entry, operator }));
        const rc = rnd() < 0.06 ? DECLINES[Math.floor(rnd() * DECLINES.length)]! : '00';
        out.push(txn({ terminal: o.terminal, t: at(base + m + 2), entry, rc, operator, bin: '622848' }));
      }
    }
  }
  return out;
}

/** An engine fed with `events` (in the given order). */
export function engineWith(reg: Registry, events: PosEvent[]): Engine {
  const engine = createEngine({ registry: reg });
  for (const e of events) engine.observe(e);
  return engine;
}

/** The diagnosis of one terminal at `now`. */
export function diagnosisOf(engine: Engine, terminal: string, now: number) {
  const t = engine.diagnose(now).terminals.find((x) => x.terminal === terminal);
  if (!t) throw new Error(`${terminal} is not in the report`);
  return t;
}

/** Merges event lists into arrival order (device time). */
export function merged(...lists: PosEvent[][]): PosEvent[] {
  return lists.flat().sort((a, b) => a.tsMs - b.tsMs);
}
