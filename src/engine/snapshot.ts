// Terminal states to plain JSON and back (the slab block becomes number arrays).

import type { CountersBlock } from './counters.ts';
import { healthPlain, restoreHealth } from './state.heartbeat.ts';
import { TerminalState } from './state.ts';

type Plain = Record<string, unknown>;

/**
 * Layout of the terminal states in a snapshot. Bump it whenever that layout changes: the engine
 * ignores a snapshot of another version (engineSnapshotUsable) and the server replays its log.
 * 2: sparse counters (present ids only), the hour ring as bits, the small numbers in the block.
 * 3: the health record's numbers in the block (13 times, 6 small numbers), its strings under `health`.
 * 4: the health strings' profile number in the block (7 small numbers).
 */
export const STATES_VERSION = 4;

/** Object fields of TerminalState (numbers live in the counters block). */
const FIELDS = ['operators', 'reports', 'updates'] as const;

export function snapshotStates(states: Iterable<[string, TerminalState]>): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  for (const [t, s] of states) {
    const p: Plain = { counters: s.block() };
    const health = healthPlain(s);
    if (health !== undefined) p['health'] = health;
    for (const f of FIELDS) if (s[f] !== undefined) p[f] = s[f];
    if (s.bins91) p['bins91'] = [...s.bins91];
    out[t] = p;
  }
  return out;
}

export function restoreStates(x: unknown): Map<string, TerminalState> {
  const out = new Map<string, TerminalState>();
  if (typeof x !== 'object' || x === null) return out;
  for (const [t, p] of Object.entries(x as Record<string, Plain>)) {
    const s = new TerminalState();
    const { counters, bins91, ...rest } = p as { counters: CountersBlock; bins91?: [string, number][] } & Plain;
    if (rest['operators'] !== undefined) s.operators = rest['operators'] as TerminalState['operators'];
    if (rest['reports'] !== undefined) s.reports = rest['reports'] as TerminalState['reports'];
    if (rest['updates'] !== undefined) s.updates = rest['updates'] as TerminalState['updates'];
    restoreHealth(s, rest['health']);
    s.name = t;
    s.counters.restore(counters);
    if (bins91) s.bins91 = new Map(bins91);
    out.set(t, s);
  }
  return out;
}
