// Data builders for the correlator's tests and benchmark: registry rows and events, small and explicit.

import type { MaintenanceWindow, PosEvent, Registry, RegistryTerminal } from '../../domain/index.ts';

export const T0 = Date.parse('2026-11-20T00:00:00Z');
export const MIN = 60_000;
const DAY_MS = 24 * 60 * MIN;

let seq = 0;

export function terminal(id: string, over: Partial<RegistryTerminal> = {}): RegistryTerminal {
  // each terminal its own shop unless the test says otherwise
  return { terminal: id, merchant: `M-${id}`, model: 'A920', region: 'Hangzhou', carrier: 'CMCC', host: 'cup-main', ...over };
}

export function registry(terminals: RegistryTerminal[], maintenance: MaintenanceWindow[] = []): Registry {
  return { terminals, merchants: [], models: [], maintenance };
}

function envelope(type: PosEvent['type'], terminal: string, tsMs: number) {
  return { v: 1 as const, id: `e${++seq}`, type, terminal, ts: new Date(tsMs).toISOString(), tsMs };
}

export function heartbeat(terminal: string, tsMs: number, net: { type?: 'wifi' | '4g' | 'ethernet'; carrier?: string; host_rtt_ms?: number } = {}): PosEvent {
  return { ...envelope('heartbeat', terminal, tsMs), type: 'heartbeat', net: { type: '4g', host_rtt_ms: 60, ...net } };
}

export function txn(terminal: string, tsMs: number, over: { rc?: string | null; bin?: string; latency_ms?: number; timeout?: boolean } = {}): PosEvent {
  return { ...envelope('txn', terminal, tsMs), type: 'txn', rc: '00', bin: '621700', latency_ms: 500, ...over };
}

export function crash(terminal: string, tsMs: number): PosEvent {
  return { ...envelope('error', terminal, tsMs), type: 'error', code: 'APP_CRASH', app: 'pay@1.0.0' };
}

export function installed(terminal: string, tsMs: number, to: string, campaign: string, from = '1.0.0'): PosEvent {
  return { ...envelope('update', terminal, tsMs), type: 'update', component: 'firmware', from, to, status: 'installed', campaign };
}

/** Heartbeats every `everyMs` in [from, to). */
export function heartbeats(terminal: string, from: number, to: number, net: Parameters<typeof heartbeat>[2] = {}, everyMs = 5 * MIN): PosEvent[] {
  const out: PosEvent[] = [];
  for (let t = from; t < to; t += everyMs) out.push(heartbeat(terminal, t, typeof net.host_rtt_ms === 'number' ? net : { ...net }));
  return out;
}

/** A shop's terminal: heartbeats every 5 minutes from `open` to `close` (ms after midnight UTC)
 * on every day from the day of `from` until `to`. */
export function openHours(terminal: string, from: number, to: number, open: number, close: number, net: Parameters<typeof heartbeat>[2] = {}): PosEvent[] {
  const out: PosEvent[] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
    out.push(...heartbeats(terminal, Math.max(from, day + open), Math.min(to, day + close), net));
  }
  return out;
}

/** Events in time order (the correlator accepts any order; tests feed a realistic one). */
export function byTime(events: PosEvent[]): PosEvent[] {
  return [...events].sort((a, b) => a.tsMs - b.tsMs);
}
