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

/** A terminal's row number by name: a Map, or the engine's own table of terminals (no second Map entry per terminal). */
export interface RowIndex {
  get(terminal: string): number | undefined;
  set(terminal: string, row: number): void;
}

/**
 * The liveness rows, one per terminal, as columns in chunks of 1,024 rows (a terminal costs a Map
 * entry and 48 bytes of typed arrays, no object); network errors, which few terminals have, in a Map.
 */
class LivenessRows {
  private readonly f64: Float64Array[] = [];
  private readonly u32: Uint32Array[] = [];
  private readonly u16: Uint16Array[] = [];
  /** Previous and next row in the row's last-seen list (-1: none; UNLISTED: in no list). */
  private readonly links: Int32Array[] = [];
  private readonly names: string[][] = [];
  constructor(readonly index: RowIndex = new Map<string, number>()) {}
  /** Carrier names by number (0: none). */
  private readonly carriers: (string | undefined)[] = [undefined];
  private readonly carrierIds = new Map<string, number>();
  readonly netErrors = new Map<number, number[]>();
  size = 0;

  add(terminal: string): number {
    const row = this.size++;
    if ((row & 1023) === 0) {
      this.f64.push(new Float64Array(1024 * F64S));
      this.u32.push(new Uint32Array(1024));
      this.u16.push(new Uint16Array(1024));
      this.links.push(new Int32Array(2048));
      this.names.push(new Array<string>(1024));
    }
    this.index.set(terminal, row);
    this.names[row >> 10]![row & 1023] = terminal;
    this.setPrev(row, UNLISTED);
    return row;
  }

  name(row: number): string {
    return this.names[row >> 10]![row & 1023]!;
  }

  /** The terminals' names in row order (first seen first). */
  *terminals(): Generator<string> {
    for (let row = 0; row < this.size; row++) yield this.name(row);
  }

  // Rows last seen in one 5-minute bucket form a list in order of last sight (see SeenList).
  prev(row: number): number {
    return this.links[row >> 10]![(row & 1023) * 2]!;
  }

  setPrev(row: number, to: number): void {
    this.links[row >> 10]![(row & 1023) * 2] = to;
  }

  next(row: number): number {
    return this.links[row >> 10]![(row & 1023) * 2 + 1]!;
  }

  setNext(row: number, to: number): void {
    this.links[row >> 10]![(row & 1023) * 2 + 1] = to;
  }

  f(row: number, field: number): number {
    return this.f64[row >> 10]![(row & 1023) * F64S + field]!;
  }

  setF(row: number, field: number, x: number): void {
    this.f64[row >> 10]![(row & 1023) * F64S + field] = x;
  }

  heartbeats(row: number): number {
    return this.u32[row >> 10]![row & 1023]!;
  }

  setHeartbeats(row: number, n: number): void {
    this.u32[row >> 10]![row & 1023] = n;
  }

  /** Bit 0: cellular; the rest: the carrier's number. */
  bearer(row: number): number {
    return this.u16[row >> 10]![row & 1023]!;
  }

  cellular(row: number): boolean {
    return (this.bearer(row) & 1) === 1;
  }

  carrier(row: number): string | undefined {
    return this.carriers[this.bearer(row) >> 1];
  }

  setBearer(row: number, cellular: boolean, carrier: string | undefined): void {
    let id = carrier === undefined ? 0 : this.carrierIds.get(carrier);
    if (id === undefined) {
      id = this.carriers.length;
      this.carriers.push(carrier);
      this.carrierIds.set(carrier!, id);
    }
    this.u16[row >> 10]![row & 1023] = (id << 1) | (cellular ? 1 : 0);
  }

  /** The row as a Liveness record (a copy: changing it changes nothing here). */
  liveness(row: number): Liveness {
    const l: Liveness = {
      first: this.f(row, FIRST), last: this.f(row, LAST), lastHb: this.f(row, LAST_HB), gap: this.f(row, GAP), heartbeats: this.heartbeats(row),
      cellular: this.cellular(row), slots: this.f(row, SLOTS), netErrors: this.netErrors.get(row) ?? [],
    };
    const carrier = this.carrier(row);
    if (carrier !== undefined) l.carrier = carrier;
    return l;
  }
}

/** A row in no last-seen list (never seen, or its bucket was pruned). */
const UNLISTED = -2;

/** First and last row of the terminals last seen in one 5-minute bucket (a list through the rows' links). */
interface SeenList {
  head: number;
  tail: number;
}

// Float64 fields of a row.
const FIRST = 0;
const LAST = 1;
const LAST_HB = 2;
const GAP = 3;
const SLOTS = 4;
const F64S = 5;

/** The terminals' liveness by terminal, read-only (each get() is a fresh copy). */
export class LivenessView {
  constructor(private readonly rows: LivenessRows) {}

  get size(): number {
    return this.rows.size;
  }

  get(terminal: string): Liveness | undefined {
    const row = this.rows.index.get(terminal);
    return row === undefined ? undefined : this.rows.liveness(row);
  }

  keys(): IterableIterator<string> {
    return this.rows.terminals();
  }

  *[Symbol.iterator](): Generator<[string, Liveness]> {
    for (let row = 0; row < this.rows.size; row++) yield [this.rows.name(row), this.rows.liveness(row)];
  }
}

export class LivenessTracker {
  private readonly rows: LivenessRows;
  readonly terminals: LivenessView;
  /** last-seen 5-minute bucket → terminals last seen then. */
  private readonly bySeen = new Map<number, SeenList>();
  /** Terminals with a recent network error. */
  readonly erring = new Set<string>();
  /** Terminal counts per group key (see groupKeys). */
  readonly counts = new Map<string, number>();
  /** last-seen 5-minute bucket → group key → terminals last seen then (answers "how many were awake" without a pass over the fleet). */
  private readonly seenByKey = new Map<number, number[]>();
  /** carrier+region group key → its terminals (the groups an outage is found in; lets an outage look at its group only). */
  private readonly byCarrierRegion = new Map<string, Set<string>>();
  /** first-seen 5-minute bucket → group key → terminals first seen then. */
  private readonly firstByKey = new Map<number, number[]>();
  /** Group keys per region, then per bearer code of a row. */
  private readonly keyCache = new Map<string | undefined, GroupKeys[]>();
  /** Group keys by number (the per-bucket counts are arrays indexed by it). */
  private readonly keyIds = new Map<string, number>();

  /** `index`: where the rows' numbers are kept by terminal (a Map of its own when not given). */
  constructor(private readonly fleet: FleetIndex, index?: RowIndex) {
    this.rows = new LivenessRows(index);
    this.terminals = new LivenessView(this.rows);
  }

  observe(event: PosEvent): void {
    const ts = event.tsMs;
    const rows = this.rows;
    let row = rows.index.get(event.terminal);
    if (row === undefined) {
      row = this.newRow(event.terminal, ts);
      this.count(event.terminal, row, 1);
    }
    if (ts < rows.f(row, FIRST)) this.moveFirst(event.terminal, row, ts);
    markSlot(rows, row, ts);
    if (ts > rows.f(row, LAST) && !offlineSign(event)) this.moveSeen(event.terminal, row, ts);
    if (event.type === 'heartbeat') this.heartbeat(event.terminal, row, event.tsMs, event.net);
    else if (event.type === 'error' && NET_ERRORS.has(event.code)) this.netError(event.terminal, row, ts);
  }

  private newRow(terminal: string, first: number): number {
    const rows = this.rows;
    const row = rows.add(terminal);
    rows.setF(row, FIRST, first);
    rows.setF(row, LAST, -Infinity);
    rows.setF(row, LAST_HB, -Infinity);
    rows.setBearer(row, false, this.fleet.get(terminal)?.carrier);
    return row;
  }

  private heartbeat(terminal: string, row: number, ts: number, net: { type?: string; carrier?: string } | undefined): void {
    const rows = this.rows;
    rows.setHeartbeats(row, rows.heartbeats(row) + 1);
    const lastHb = rows.f(row, LAST_HB);
    if (ts <= lastHb) return;
    const d = ts - lastHb;
    const gap = rows.f(row, GAP);
    // A gap much longer than usual is a silence (night, outage), not the heartbeat interval.
    if (d < 2 * HOUR && (!gap || d < 3 * gap)) rows.setF(row, GAP, gap ? 0.8 * gap + 0.2 * d : d);
    rows.setF(row, LAST_HB, ts);
    const was = rows.cellular(row);
    const wasCarrier = rows.carrier(row);
    const cellular = net?.type ? CELLULAR.has(net.type) : was;
    const carrier = net?.carrier ?? wasCarrier;
    if (cellular === was && carrier === wasCarrier) return;
    this.count(terminal, row, -1);
    rows.setBearer(row, cellular, carrier);
    this.count(terminal, row, 1);
  }

  private count(terminal: string, row: number, delta: number): void {
    const keys = this.keysOf(terminal, row);
    for (const key of keys.names) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + delta);
      if (key.startsWith('cr:')) this.indexGroup(key, terminal, delta);
    }
    tally(this.firstByKey, bucketOf(this.rows.f(row, FIRST)), keys, delta);
    const last = this.rows.f(row, LAST);
    if (last > -Infinity) tally(this.seenByKey, bucketOf(last), keys, delta);
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
      yield* this.rows.terminals();
    }
  }

  private moveFirst(terminal: string, row: number, ts: number): void {
    const first = this.rows.f(row, FIRST);
    if (bucketOf(ts) !== bucketOf(first)) {
      const keys = this.keysOf(terminal, row);
      tally(this.firstByKey, bucketOf(first), keys, -1);
      tally(this.firstByKey, bucketOf(ts), keys, 1);
    }
    this.rows.setF(row, FIRST, ts);
  }

  /**
   * Terminals of a group awake in [from, to): last seen then, and already known when `from` came
   * (5-minute buckets, as lastSeenBetween). Costs the number of buckets, not the fleet.
   */
  awakeBetween(key: string, from: number, to: number): number {
    let seen = 0;
    const id = this.keyIds.get(key);
    if (id === undefined) return 0;
    for (let b = bucketOf(from); b < Math.ceil(to / INDEX_MS); b++) seen += this.seenByKey.get(b)?.[id] ?? 0;
    let late = 0;
    for (let b = bucketOf(from) + 1; b < Math.ceil(to / INDEX_MS); b++) late += this.firstByKey.get(b)?.[id] ?? 0;
    return Math.max(0, seen - late);
  }

  /** Whether the terminal counts as awake in [from, to) by the rule of awakeBetween. */
  awake(terminal: string, from: number, to: number): boolean {
    const row = this.rows.index.get(terminal);
    if (row === undefined) return false;
    const last = this.rows.f(row, LAST);
    if (last === -Infinity || bucketOf(this.rows.f(row, FIRST)) > bucketOf(from)) return false;
    const b = bucketOf(last);
    return b >= bucketOf(from) && b < Math.ceil(to / INDEX_MS);
  }

  /** Group keys of a terminal: all, region, and for cellular ones carrier and carrier+region. */
  groupKeys(terminal: string, l: Pick<Liveness, 'cellular' | 'carrier'>): readonly string[] {
    return groupKeysOf(this.fleet.get(terminal)?.region, l.cellular, l.carrier);
  }

  /** groupKeys() from the row, cached per region and bearer (the same few arrays for the whole fleet). */
  private keysOf(terminal: string, row: number): GroupKeys {
    const region = this.fleet.get(terminal)?.region;
    let byBearer = this.keyCache.get(region);
    if (!byBearer) this.keyCache.set(region, (byBearer = []));
    const bearer = this.rows.bearer(row);
    let keys = byBearer[bearer];
    if (!keys) {
      const names = groupKeysOf(region, this.rows.cellular(row), this.rows.carrier(row));
      const ids = names.map((k) => {
        let id = this.keyIds.get(k);
        if (id === undefined) this.keyIds.set(k, (id = this.keyIds.size));
        return id;
      });
      byBearer[bearer] = keys = { names, ids };
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
    for (let row = 0; row < this.rows.size; row++) this.count(this.rows.name(row), row, 1);
  }

  private netError(terminal: string, row: number, ts: number): void {
    let errors = this.rows.netErrors.get(row);
    if (!errors) this.rows.netErrors.set(row, (errors = []));
    errors.push(ts);
    if (errors.length > 6) errors.sort((a, b) => a - b).shift();
    this.erring.add(terminal);
  }

  /** Puts a snapshot row back (into an empty tracker); recount() afterwards. */
  restoreRow(terminal: string, l: Liveness): void {
    const rows = this.rows;
    const row = rows.add(terminal);
    rows.setF(row, FIRST, l.first);
    rows.setF(row, LAST, -Infinity);
    rows.setF(row, LAST_HB, l.lastHb);
    rows.setF(row, GAP, l.gap);
    rows.setF(row, SLOTS, l.slots);
    rows.setHeartbeats(row, l.heartbeats);
    rows.setBearer(row, l.cellular, l.carrier);
    if (l.netErrors.length > 0) {
      rows.netErrors.set(row, [...l.netErrors]);
      this.erring.add(terminal);
    }
    if (l.last > -Infinity) this.moveSeen(terminal, row, l.last);
  }

  private moveSeen(terminal: string, row: number, ts: number): void {
    const last = this.rows.f(row, LAST);
    const key = bucketOf(ts);
    const was = last > -Infinity ? bucketOf(last) : undefined;
    if (was !== undefined) this.unlist(row, was);
    if (was !== key) {
      const keys = this.keysOf(terminal, row);
      if (was !== undefined) tally(this.seenByKey, was, keys, -1);
      tally(this.seenByKey, key, keys, 1);
    }
    this.rows.setF(row, LAST, ts);
    // to the end of its bucket's list: the list is in order of last sight
    const rows = this.rows;
    let list = this.bySeen.get(key);
    if (!list) this.bySeen.set(key, (list = { head: -1, tail: -1 }));
    rows.setPrev(row, list.tail);
    rows.setNext(row, -1);
    if (list.tail === -1) list.head = row;
    else rows.setNext(list.tail, row);
    list.tail = row;
  }

  /** Takes the row out of the last-seen list of `bucket` (nothing when that list was pruned). */
  private unlist(row: number, bucket: number): void {
    const rows = this.rows;
    const prev = rows.prev(row);
    if (prev === UNLISTED) return;
    const next = rows.next(row);
    const list = this.bySeen.get(bucket)!;
    if (prev === -1) list.head = next;
    else rows.setNext(prev, next);
    if (next === -1) list.tail = prev;
    else rows.setPrev(next, prev);
    rows.setPrev(row, UNLISTED);
  }

  /** Terminals last seen in [from, to). */
  *lastSeenBetween(from: number, to: number): Generator<string> {
    for (let key = Math.floor(from / INDEX_MS); key < Math.ceil(to / INDEX_MS); key++) {
      const list = this.bySeen.get(key);
      if (list) for (let row = list.head; row !== -1; row = this.rows.next(row)) yield this.rows.name(row);
    }
  }

  /** Forgets index buckets and network errors older than `before` (the terminals stay known). */
  prune(before: number): void {
    const oldest = Math.floor(before / INDEX_MS);
    for (const [key, list] of this.bySeen) {
      if (key >= oldest) continue;
      for (let row = list.head; row !== -1; ) {
        const next = this.rows.next(row);
        this.rows.setPrev(row, UNLISTED);
        row = next;
      }
      this.bySeen.delete(key);
    }
    for (const key of this.seenByKey.keys()) if (key < oldest) this.seenByKey.delete(key);
    for (const key of this.firstByKey.keys()) if (key < oldest) this.firstByKey.delete(key);
    for (const terminal of this.erring) {
      const row = this.rows.index.get(terminal);
      const errors = row === undefined ? undefined : this.rows.netErrors.get(row);
      if (!errors || errors.every((t) => t < before)) this.erring.delete(terminal);
    }
  }
}

function groupKeysOf(region: string | undefined, cellular: boolean, carrier: string | undefined): string[] {
  const keys = ['all'];
  if (region) keys.push(`r:${region}`);
  if (cellular && carrier) {
    keys.push('cell', `c:${carrier}`);
    if (region) keys.push(`cr:${carrier}|${region}`);
  }
  return keys;
}

const bucketOf = (ts: number): number => Math.floor(ts / INDEX_MS);

/** A terminal's group keys and their numbers. */
interface GroupKeys {
  names: readonly string[];
  ids: readonly number[];
}

/** Adds `delta` to each key's count in a bucket; a bucket pruned away is not brought back by a decrement. */
function tally(index: Map<number, number[]>, bucket: number, keys: GroupKeys, delta: number): void {
  let counts = index.get(bucket);
  if (!counts) {
    if (delta < 0) return;
    index.set(bucket, (counts = []));
  }
  const ids = keys.ids;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    while (counts.length <= id) counts.push(0);
    counts[id] = Math.max(0, counts[id]! + delta);
  }
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
    const l: Liveness = { first, last: last ?? -Infinity, lastHb: lastHb ?? -Infinity, gap, heartbeats, cellular: cellular === 1, slots, netErrors };
    if (carrier !== null) l.carrier = carrier;
    live.restoreRow(t, l);
  }
  live.recount();
}

/** Events a terminal logs while it cannot reach the network (delivered later): not a sign of life online. */
function offlineSign(event: PosEvent): boolean {
  if (event.type === 'error') return NET_ERRORS.has(event.code) || event.code === 'DNS_FAIL';
  return event.type === 'txn' && event.timeout === true && !event.rc;
}

function markSlot(rows: LivenessRows, row: number, ts: number): void {
  const slot = Math.floor((((ts % DAY) + DAY) % DAY) / SLOT_MS);
  const bit = 2 ** slot;
  const slots = rows.f(row, SLOTS);
  if (Math.floor(slots / bit) % 2 === 0) rows.setF(row, SLOTS, slots + bit);
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
