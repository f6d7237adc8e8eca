// Per-terminal liveness: last event, usual heartbeat gap, bearer and carrier, the half-hours of
// the day it is normally on, and recent network errors. Silent terminals are found through an
// index of last-seen times, so finding them costs the silent ones, not the fleet.

import type { PosEvent } from '../../domain/index.ts';
import { DAY, HOUR, MINUTE } from './buckets.ts';
import type { FleetIndex } from './fleet.ts';

const CELLULAR = new Set(['5g', '4g', '3g', '2g']);
const SLOT_MS = 30 * MINUTE;
const INDEX_MS = 5 * MINUTE;
const NET_ERRORS = new Set(['NET_CONNECT_FAIL']);

export interface Liveness {
  first: number;
  last: number;
  lastHb: number;
  /** Usual gap between heartbeats (ms), 0 until known. */
  gap: number;
  heartbeats: number;
  cellular: boolean;
  carrier?: string;
  /** Bit i set: the terminal was seen in half-hour i of a day (UTC). */
  slots: number;
  netErrors: number[];
}

export class LivenessTracker {
  readonly terminals = new Map<string, Liveness>();
  /** last-seen 5-minute bucket → terminals last seen then. */
  private readonly bySeen = new Map<number, Set<string>>();
  /** Terminals with a recent network error. */
  readonly erring = new Set<string>();
  /** Terminal counts per group key (see groupKeys). */
  readonly counts = new Map<string, number>();
  /** last-seen 5-minute bucket → group key → terminals last seen then (answers "how many were awake" without a pass over the fleet). */
  private readonly seenByKey = new Map<number, Map<string, number>>();
  /** carrier+region group key → its terminals (the groups an outage is found in; lets an outage look at its group only). */
  private readonly byCarrierRegion = new Map<string, Set<string>>();
  /** first-seen 5-minute bucket → group key → terminals first seen then. */
  private readonly firstByKey = new Map<number, Map<string, number>>();

  constructor(private readonly fleet: FleetIndex) {}

  observe(event: PosEvent): void {
    const ts = event.tsMs;
    let l = this.terminals.get(event.terminal);
    if (!l) {
      l = { first: ts, last: -Infinity, lastHb: -Infinity, gap: 0, heartbeats: 0, cellular: false, slots: 0, netErrors: [] };
      l.carrier = this.fleet.get(event.terminal)?.carrier;
      this.terminals.set(event.terminal, l);
      this.count(event.terminal, l, 1);
    }
    if (ts < l.first) this.moveFirst(event.terminal, l, ts);
    markSlot(l, ts);
    if (ts > l.last && !offlineSign(event)) this.moveSeen(event.terminal, l, ts);
    if (event.type === 'heartbeat') this.heartbeat(event.terminal, l, event.tsMs, event.net);
    else if (event.type === 'error' && NET_ERRORS.has(event.code)) this.netError(event.terminal, l, ts);
  }

  private heartbeat(terminal: string, l: Liveness, ts: number, net: { type?: string; carrier?: string } | undefined): void {
    l.heartbeats++;
    if (ts <= l.lastHb) return;
    const d = ts - l.lastHb;
    // A gap much longer than usual is a silence (night, outage), not the heartbeat interval.
    if (d < 2 * HOUR && (!l.gap || d < 3 * l.gap)) l.gap = l.gap ? 0.8 * l.gap + 0.2 * d : d;
    l.lastHb = ts;
    const cellular = net?.type ? CELLULAR.has(net.type) : l.cellular;
    const carrier = net?.carrier ?? l.carrier;
    if (cellular === l.cellular && carrier === l.carrier) return;
    this.count(terminal, l, -1);
    l.cellular = cellular;
    l.carrier = carrier;
    this.count(terminal, l, 1);
  }

  private count(terminal: string, l: Liveness, delta: number): void {
    const keys = this.groupKeys(terminal, l);
    for (const key of keys) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
      if (key.startsWith('cr:')) this.indexGroup(key, terminal, delta);
    }
    tally(this.firstByKey, bucketOf(l.first), keys, delta);
    if (l.last > -Infinity) tally(this.seenByKey, bucketOf(l.last), keys, delta);
  }

  private indexGroup(key: string, terminal: string, delta: number): void {
    let members = this.byCarrierRegion.get(key);
    if (delta > 0) {
      if (!members) this.byCarrierRegion.set(key, (members = new Set()));
      members.add(terminal);
    } else if (members) {
      members.delete(terminal);
      if (members.size === 0) this.byCarrierRegion.delete(key);
    }
  }

  /** The terminals of a group key: a carrier+region (`cr:`) or a carrier (`c:`, its regions together); every terminal otherwise. */
  *membersOf(key: string): Generator<string> {
    if (key.startsWith('cr:')) {
      yield* this.byCarrierRegion.get(key) ?? [];
    } else if (key.startsWith('c:')) {
      const prefix = `cr:${key.slice(2)}|`;
      for (const [k, members] of this.byCarrierRegion) if (k.startsWith(prefix)) yield* members;
    } else {
      yield* this.terminals.keys();
    }
  }

  private moveFirst(terminal: string, l: Liveness, ts: number): void {
    if (bucketOf(ts) !== bucketOf(l.first)) {
      const keys = this.groupKeys(terminal, l);
      tally(this.firstByKey, bucketOf(l.first), keys, -1);
      tally(this.firstByKey, bucketOf(ts), keys, 1);
    }
    l.first = ts;
  }

  /**
   * Terminals of a group awake in [from, to): last seen then, and already known when `from` came
   * (5-minute buckets, as lastSeenBetween). Costs the number of buckets, not the fleet.
   */
  awakeBetween(key: string, from: number, to: number): number {
    let seen = 0;
    for (let b = bucketOf(from); b < Math.ceil(to / INDEX_MS); b++) seen += this.seenByKey.get(b)?.get(key) ?? 0;
    let late = 0;
    for (let b = bucketOf(from) + 1; b < Math.ceil(to / INDEX_MS); b++) late += this.firstByKey.get(b)?.get(key) ?? 0;
    return Math.max(0, seen - late);
  }

  /** Whether the terminal counts as awake in [from, to) by the rule of awakeBetween. */
  awake(terminal: string, from: number, to: number): boolean {
    const l = this.terminals.get(terminal);
    if (!l || l.last === -Infinity || bucketOf(l.first) > bucketOf(from)) return false;
    const b = bucketOf(l.last);
    return b >= bucketOf(from) && b < Math.ceil(to / INDEX_MS);
  }

  /** Group keys of a terminal: all, region, and for cellular ones carrier and carrier+region. */
  groupKeys(terminal: string, l: Liveness): string[] {
    const region = this.fleet.get(terminal)?.region;
    const keys = ['all'];
    if (region) keys.push(`r:${region}`);
    if (l.cellular && l.carrier) {
      keys.push('cell', `c:${l.carrier}`);
      if (region) keys.push(`cr:${l.carrier}|${region}`);
    }
    return keys;
  }

  /** The terminal's merchant (its shop), or the terminal itself when the registry does not say. */
  shopOf(terminal: string): string {
    return this.fleet.get(terminal)?.merchant ?? `terminal:${terminal}`;
  }

  /** Recounts the groups (after a registry change moved terminals between regions). */
  recount(): void {
    this.counts.clear();
    this.seenByKey.clear();
    this.firstByKey.clear();
    this.byCarrierRegion.clear();
    for (const [terminal, l] of this.terminals) this.count(terminal, l, 1);
  }

  private netError(terminal: string, l: Liveness, ts: number): void {
    l.netErrors.push(ts);
    if (l.netErrors.length > 6) l.netErrors.sort((a, b) => a - b).shift();
    this.erring.add(terminal);
  }

  restoreSeen(terminal: string, l: Liveness, last: number): void {
    if (last > -Infinity) this.moveSeen(terminal, l, last);
  }

  private moveSeen(terminal: string, l: Liveness, ts: number): void {
    if (l.last > -Infinity) this.bySeen.get(Math.floor(l.last / INDEX_MS))?.delete(terminal);
    if (l.last === -Infinity || bucketOf(l.last) !== bucketOf(ts)) {
      const keys = this.groupKeys(terminal, l);
      if (l.last > -Infinity) tally(this.seenByKey, bucketOf(l.last), keys, -1);
      tally(this.seenByKey, bucketOf(ts), keys, 1);
    }
    l.last = ts;
    const key = Math.floor(ts / INDEX_MS);
    let set = this.bySeen.get(key);
    if (!set) this.bySeen.set(key, (set = new Set()));
    set.add(terminal);
  }

  /** Terminals last seen in [from, to). */
  *lastSeenBetween(from: number, to: number): Generator<string> {
    for (let key = Math.floor(from / INDEX_MS); key < Math.ceil(to / INDEX_MS); key++) {
      const set = this.bySeen.get(key);
      if (set) yield* set;
    }
  }

  /** Forgets index buckets and network errors older than `before` (the terminals stay known). */
  prune(before: number): void {
    const oldest = Math.floor(before / INDEX_MS);
    for (const key of this.bySeen.keys()) if (key < oldest) this.bySeen.delete(key);
    for (const key of this.seenByKey.keys()) if (key < oldest) this.seenByKey.delete(key);
    for (const key of this.firstByKey.keys()) if (key < oldest) this.firstByKey.delete(key);
    for (const terminal of this.erring) {
      const l = this.terminals.get(terminal);
      if (!l || l.netErrors.every((t) => t < before)) this.erring.delete(terminal);
    }
  }
}

const bucketOf = (ts: number): number => Math.floor(ts / INDEX_MS);

/** Adds `delta` to each key's count in a bucket; a bucket pruned away is not brought back by a decrement. */
function tally(index: Map<number, Map<string, number>>, bucket: number, keys: readonly string[], delta: number): void {
  let counts = index.get(bucket);
  if (!counts) {
    if (delta < 0) return;
    index.set(bucket, (counts = new Map()));
  }
  for (const key of keys) counts.set(key, Math.max(0, (counts.get(key) ?? 0) + delta));
}

/** One terminal's liveness as a compact row: -Infinity (never) is written as null. */
export type LivenessRow = [terminal: string, first: number, last: number | null, lastHb: number | null, gap: number, heartbeats: number, cellular: 0 | 1, carrier: string | null, slots: number, netErrors: number[]];

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function livenessRows(live: LivenessTracker): LivenessRow[] {
  const rows: LivenessRow[] = [];
  for (const [t, l] of live.terminals) {
    rows.push([t, l.first, finite(l.last), finite(l.lastHb), l.gap, l.heartbeats, l.cellular ? 1 : 0, l.carrier ?? null, l.slots, [...l.netErrors]]);
  }
  return rows;
}

/** Puts rows back into an empty tracker: the last-seen index, the erring set and the counts follow. */
export function restoreLiveness(live: LivenessTracker, rows: readonly LivenessRow[] | undefined): void {
  for (const [t, first, last, lastHb, gap, heartbeats, cellular, carrier, slots, netErrors] of rows ?? []) {
    const l: Liveness = { first, last: -Infinity, lastHb: lastHb ?? -Infinity, gap, heartbeats, cellular: cellular === 1, slots, netErrors: [...netErrors] };
    if (carrier !== null) l.carrier = carrier;
    live.terminals.set(t, l);
    live.restoreSeen(t, l, last ?? -Infinity);
    if (netErrors.length > 0) live.erring.add(t);
  }
  live.recount();
}

/** Events a terminal logs while it cannot reach the network (delivered later): not a sign of life online. */
function offlineSign(event: PosEvent): boolean {
  if (event.type === 'error') return NET_ERRORS.has(event.code) || event.code === 'DNS_FAIL';
  return event.type === 'txn' && event.timeout === true && !event.rc;
}

function markSlot(l: Liveness, ts: number): void {
  const slot = Math.floor((((ts % DAY) + DAY) % DAY) / SLOT_MS);
  const bit = 2 ** slot;
  if (Math.floor(l.slots / bit) % 2 === 0) l.slots += bit;
}

/** Whether the terminal is normally off at `now`: known for more than a day, never seen in this half-hour. */
export function normallyOff(l: Liveness, now: number): boolean {
  if (now - l.first < DAY + HOUR) return false;
  const slot = Math.floor((((now % DAY) + DAY) % DAY) / SLOT_MS);
  return Math.floor(l.slots / 2 ** slot) % 2 === 0;
}

function seenInSlot(l: Liveness, ts: number): boolean {
  const slot = Math.floor((((ts % DAY) + DAY) % DAY) / SLOT_MS);
  return Math.floor(l.slots / 2 ** slot) % 2 === 1;
}

/** Whether a silence from `ts` is the terminal's usual closing: on earlier days (known for a day
 * by then) it was not on an hour after `ts`. Shops do not close at one minute every day, so the
 * last hour before the usual switch-off counts. */
export function closingAt(l: Liveness, ts: number): boolean {
  return ts + HOUR - l.first >= DAY && !seenInSlot(l, ts + HOUR);
}

/** A terminal late to come on: switched off since before the moment it is usually on by today (the
 * start of the run of half-hours, ending at `now`, it was seen in on earlier days), at least 30
 * minutes late. That moment, or undefined (known for less than a day, always on, usually off now,
 * or seen since). */
export function lateSince(l: Liveness, now: number): number | undefined {
  if (now - l.first < DAY || l.heartbeats < 3 || !seenInSlot(l, now)) return undefined;
  let on = now - (((now % SLOT_MS) + SLOT_MS) % SLOT_MS);
  for (let k = 0; seenInSlot(l, on - SLOT_MS); k++) {
    if (k >= 47) return undefined; // seen at every hour: its silence is silentSince's
    on -= SLOT_MS;
  }
  return on > l.last && now - on >= 30 * MINUTE ? on : undefined;
}

/** Silence longer than three usual heartbeat gaps (at least 15 minutes), begun within 12 hours. */
export function silentSince(l: Liveness, now: number): number | undefined {
  return quietSince(l, now, Math.max(3 * (l.gap || 5 * MINUTE), 15 * MINUTE));
}

/** A heartbeat missed: silence longer than 1.5 usual gaps (at least 7 minutes). Weak evidence for
 * one terminal; strong when many of one carrier and region miss theirs in the same few minutes. */
export const EARLY_QUIET_MS = 7 * MINUTE;

export function missedSince(l: Liveness, now: number): number | undefined {
  return l.gap ? quietSince(l, now, Math.max(1.5 * l.gap, EARLY_QUIET_MS)) : undefined;
}

function quietSince(l: Liveness, now: number, limit: number): number | undefined {
  const quiet = now - l.last;
  if (quiet <= limit || quiet > 12 * HOUR || l.heartbeats < 3) return undefined;
  return normallyOff(l, now) ? undefined : l.last;
}

/** Start of a run of network errors: at least two within the last 30 minutes. */
export function erringSince(l: Liveness, now: number): number | undefined {
  const recent = l.netErrors.filter((t) => t > now - 30 * MINUTE && t <= now).sort((a, b) => a - b);
  return recent.length >= 2 ? recent[0] : undefined;
}
