// Decayed event counters: each counter keeps a short-window and a long-window exponentially
// decayed count; the counters in TIMED also keep the first (start of the current episode) and
// last time they moved. Events may arrive in any order: older events are added already decayed.
//
// Memory: a terminal's counters, its hourly activity ring, a few times and small numbers live in
// one fixed-size block of a shared slab (an ArrayBuffer for 1,024 terminals), so a terminal costs
// no typed-array objects of its own, only a block number (TerminalState extends Counters).
// Counters are sparse: a bitmap says which ones moved; only those take room, in counter order
// (1 unit of 8 bytes each, 2 for a TIMED one). A terminal uses 12-25 of the 45; the block holds
// INLINE_UNITS units and the rest go to pages of PAGE_UNITS units chained from the block.

export const C = {
  EV: 0, HB: 1, TXN: 2, TXN_OK: 3, TIMEOUT: 4,
  RC_SETUP: 5, RC_LIMIT: 6, RC_INPUT: 7, RC_HOST: 8, RC_KEY: 9, RC_BUSINESS: 10, RC_PIN: 11,
  TX_CHIP: 12, TX_CTLS: 13, TX_SWIPE: 14, TX_FALLBACK: 15,
  RF_CHIP: 16, RF_CTLS: 17, RF_SWIPE: 18,
  CRASH: 19, BOOT_CRASH: 20, PRINTER_ERR: 21, NET_FAIL: 22, DNS_FAIL: 23, TLS_FAIL: 24,
  HOST_TIMEOUT: 25, KEY_ERR: 26, STORAGE_ERR: 27, CLOCK_ERR: 28, PIN_TIMEOUT: 29, LOWBAT_BOOT: 30,
  HB_NORTT: 31, LAT_SUM: 32, LAT_N: 33, RTT_SUM: 34, RTT_N: 35, RSSI_SUM: 36, RSSI_N: 37,
  RSSI_WEAK: 38, HOT: 39, HUMID: 40, HB_DNS_BAD: 41, BOOT: 42, TEMP_SUM: 43, TEMP_N: 44,
} as const;
export type CounterId = (typeof C)[keyof typeof C];
export const COUNTERS = 45;

/**
 * Counters whose first() and last() times are kept (the detectors read them); first()/last() of
 * any other counter throws: add it here when a detector needs it (counters.test.ts checks the
 * detectors' sources).
 */
export const TIMED: readonly CounterId[] = [
  C.TXN, C.RC_SETUP, C.RC_LIMIT, C.RC_INPUT, C.RC_HOST, C.RC_KEY, C.RF_CHIP, C.RF_CTLS, C.RF_SWIPE,
  C.CRASH, C.BOOT_CRASH, C.PRINTER_ERR, C.NET_FAIL, C.DNS_FAIL, C.TLS_FAIL, C.KEY_ERR, C.STORAGE_ERR,
  C.CLOCK_ERR, C.PIN_TIMEOUT, C.LOWBAT_BOOT, C.LAT_N, C.RSSI_WEAK, C.HOT, C.HUMID, C.HB_DNS_BAD, C.TEMP_N,
];
const TIMED_LO = TIMED.reduce<number>((m, id) => (id < 32 ? (m | (1 << id)) >>> 0 : m), 0);
const TIMED_HI = TIMED.reduce<number>((m, id) => (id >= 32 ? (m | (1 << (id - 32))) >>> 0 : m), 0);
const isTimed = (id: number): boolean => ((id < 32 ? TIMED_LO >>> id : TIMED_HI >>> (id - 32)) & 1) === 1;

/** Short and long decay constants (seconds). */
export const TAU_SHORT = 2 * 3600;
export const TAU_LONG = 24 * 3600;
/** A counter silent for longer than this starts a new episode (its `first` moves). */
export const EPISODE_GAP = 6 * 3600;

/**
 * The decayed count at which `n` events count as there: the older ones have lost a little weight
 * by the time the last comes (two heartbeats 5-25 minutes apart count 1.8-1.96 in the short
 * window, three 5 minutes apart 2.88), so a rule meant as "n readings" compared with `n` waits
 * for one more.
 */
export function decayedCount(n: number): number {
  return n - 0.2;
}
/** How far events may run ahead of the reference before the counters are decayed forward (s). */
const REF_STEP = 900;
/** Hours in the activity ring (one bit per hour: whether the terminal sent anything then). */
export const RING_HOURS = 48;
/** Times (float64) kept in the block; see TerminalState (0-4) and HealthState (5-12). */
export const TIMES = 13;
/** Small unsigned numbers (uint32) kept in the block for TerminalState (0-3) and HealthState (4-6). */
export const SMALLS = 7;

// Block layout in bytes.
const REF_AT = TIMES * 8; // u32 reference time (s)
const LO_AT = REF_AT + 4; // u32 bitmap of counters 0..31 present
const HI_AT = LO_AT + 4; // u32 bitmap of counters 32..44
const PAGE_AT = HI_AT + 4; // u32 first overflow page + 1 (0: none)
const SMALL_AT = PAGE_AT + 4; // SMALLS u32
const RING_AT = SMALL_AT + SMALLS * 4; // RING_HOURS bits
const LO_UNITS_AT = RING_AT + RING_HOURS / 8; // u8 units taken by counters 0..31
const UNITS_AT = LO_UNITS_AT + 1; // u8 units taken in all
const INLINE_AT = Math.ceil((UNITS_AT + 1) / 8) * 8;
export const INLINE_UNITS = 16;
const BLOCK = INLINE_AT + INLINE_UNITS * 8;
const SLAB_BLOCKS = 1024;
/** Overflow pages: PAGE_UNITS units each, chained. */
export const PAGE_UNITS = 8;
const PAGE = PAGE_UNITS * 8;
/** Pages per page slab (a power of 2; one block slab's terminals fill a few). */
const PAGE_SHIFT = 8;
const SLAB_PAGES = 1 << PAGE_SHIFT;
const PAGE_MASK = SLAB_PAGES - 1;
/** Operator records (16 bytes) per overflow page. */
const OPS_PER_PAGE = PAGE / 16;

interface Slab {
  f64: Float64Array;
  f32: Float32Array;
  u32: Uint32Array;
  u16: Uint16Array;
  u8: Uint8Array;
  /** A block slab's overflow pages, made on first use. */
  pages: Pages | undefined;
}

function newSlab(bytes: number): Slab {
  const buf = new ArrayBuffer(bytes);
  return { f64: new Float64Array(buf), f32: new Float32Array(buf), u32: new Uint32Array(buf), u16: new Uint16Array(buf), u8: new Uint8Array(buf), pages: undefined };
}

let slab: Slab | undefined;
let nextBlock = SLAB_BLOCKS;

/**
 * The overflow pages of one block slab's terminals (kept with that slab, so that they go when its
 * terminals go): page slabs of SLAB_PAGES pages, and each page's next link (+1, 0: last).
 */
interface Pages {
  slabs: Slab[];
  next: Uint32Array[];
  count: number;
}

function newPage(pages: Pages): number {
  if (pages.count % SLAB_PAGES === 0) {
    pages.slabs.push(newSlab(PAGE * SLAB_PAGES));
    pages.next.push(new Uint32Array(SLAB_PAGES));
  }
  return pages.count++;
}

function pagesFor(slab: Slab): Pages {
  return (slab.pages ??= { slabs: [], next: [], count: 0 });
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

// Where the last locate() found a unit: the slab and the index of its first 32-bit word.
let atSlab: Slab;
let atWord = 0;
let atUnit = 0;

// Decay factors of the last add (an event adds to several counters of one terminal at one time).
let kOwner: Counters | undefined;
let kSec = -1;
let kRef = -1;
let kShort = 1;
let kLong = 1;

export interface CountersBlock {
  /** Counter ids present, then per id [short, long] (and [first, last] for TIMED ones) in `v`. */
  ids: number[];
  v: number[];
  ref: number;
  /** Active hours of the ring as a 48-bit number. */
  ring: number;
  times: number[];
  smalls: number[];
}

export class Counters {
  private readonly s: Slab;
  /** Block offset in bytes. */
  private readonly o: number;

  constructor() {
    if (nextBlock === SLAB_BLOCKS) {
      slab = newSlab(BLOCK * SLAB_BLOCKS);
      nextBlock = 0;
    }
    this.s = slab!;
    this.o = BLOCK * nextBlock++;
  }

  /** Reference time (epoch seconds) the decayed values are expressed at. */
  get ref(): number {
    return this.s.u32[(this.o + REF_AT) >> 2]!;
  }

  /** Units before counter `id` (whether present or not). */
  private unitsBefore(id: number): number {
    const u32 = this.s.u32;
    if (id < 32) {
      const lo = u32[(this.o + LO_AT) >> 2]! & ((1 << id) - 1);
      return popcount(lo) + popcount(lo & TIMED_LO);
    }
    const hi = u32[(this.o + HI_AT) >> 2]! & ((1 << (id - 32)) - 1);
    return this.s.u8[this.o + LO_UNITS_AT]! + popcount(hi) + popcount(hi & TIMED_HI);
  }

  private present(id: number): boolean {
    return id < 32 ? ((this.s.u32[(this.o + LO_AT) >> 2]! >>> id) & 1) === 1 : ((this.s.u32[(this.o + HI_AT) >> 2]! >>> (id - 32)) & 1) === 1;
  }

  /** Points atSlab/atWord at unit `u`. */
  private unit(u: number): void {
    atUnit = u;
    if (u < INLINE_UNITS) {
      atSlab = this.s;
      atWord = (this.o + INLINE_AT + u * 8) >> 2;
      return;
    }
    const pages = this.s.pages!;
    let p = this.s.u32[(this.o + PAGE_AT) >> 2]! - 1;
    for (let k = ((u - INLINE_UNITS) / PAGE_UNITS) | 0; k > 0; k--) p = pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]! - 1;
    atSlab = pages.slabs[p >>> PAGE_SHIFT]!;
    atWord = ((p & PAGE_MASK) * PAGE + ((u - INLINE_UNITS) % PAGE_UNITS) * 8) >> 2;
  }

  /** Points atSlab/atWord at counter `id`, making room for it when `create`; false when absent. */
  private locate(id: number, create: boolean): boolean {
    if (!this.present(id)) {
      if (!create) return false;
      this.insert(id);
    }
    this.unit(this.unitsBefore(id));
    return true;
  }

  /** Makes room for counter `id` (zeroed) at its place in counter order. */
  private insert(id: number): void {
    const u8 = this.s.u8;
    const width = isTimed(id) ? 2 : 1;
    const total = u8[this.o + UNITS_AT]!;
    this.ensureUnits(total + width);
    const at = this.unitsBefore(id);
    // move the units after it up by `width`, last first
    for (let u = total - 1; u >= at; u--) {
      this.unit(u);
      const from = atSlab.u32;
      const w = atWord;
      const a = from[w]!;
      const b = from[w + 1]!;
      this.unit(u + width);
      atSlab.u32[atWord] = a;
      atSlab.u32[atWord + 1] = b;
    }
    for (let u = at; u < at + width; u++) {
      this.unit(u);
      atSlab.u32[atWord] = 0;
      atSlab.u32[atWord + 1] = 0;
    }
    const u32 = this.s.u32;
    if (id < 32) {
      u32[(this.o + LO_AT) >> 2] = (u32[(this.o + LO_AT) >> 2]! | (1 << id)) >>> 0;
      u8[this.o + LO_UNITS_AT] = u8[this.o + LO_UNITS_AT]! + width;
    } else u32[(this.o + HI_AT) >> 2] = (u32[(this.o + HI_AT) >> 2]! | (1 << (id - 32))) >>> 0;
    u8[this.o + UNITS_AT] = total + width;
  }

  /** Chains overflow pages until `units` fit. */
  private ensureUnits(units: number): void {
    if (units <= INLINE_UNITS) return;
    const u32 = this.s.u32;
    const have = INLINE_UNITS + Math.ceil(Math.max(0, this.s.u8[this.o + UNITS_AT]! - INLINE_UNITS) / PAGE_UNITS) * PAGE_UNITS;
    if (units <= have) return;
    const pages = pagesFor(this.s);
    const page = newPage(pages) + 1;
    if (have === INLINE_UNITS) {
      u32[(this.o + PAGE_AT) >> 2] = page;
      return;
    }
    let p = u32[(this.o + PAGE_AT) >> 2]! - 1;
    while (pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]! !== 0) p = pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]! - 1;
    pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK] = page;
  }

  add(id: CounterId, sec: number, amount = 1): void {
    // an event adds to several counters at one time: after the first, the factors are known and
    // the reference cannot need to move (it moved, if at all, in that first add)
    if (kOwner !== this || sec !== kSec || this.ref !== kRef) this.factors(sec);
    this.locate(id, true);
    const v = atSlab.f32;
    const vi = atWord;
    v[vi] = v[vi]! + amount * kShort;
    v[vi + 1] = v[vi + 1]! + amount * kLong;
    if (!isTimed(id)) return;
    const ti = this.timesWord();
    const t = atSlab.u32;
    const first = t[ti]!;
    const last = t[ti + 1]!;
    if (last === 0 || sec - last > EPISODE_GAP) {
      if (sec >= last) t[ti] = sec;
    } else if (sec < first && first - sec < EPISODE_GAP) t[ti] = sec;
    if (sec > last) t[ti + 1] = sec;
  }

  /** After locate() of a TIMED counter: the word of its first time (its second unit; atSlab follows). */
  private timesWord(): number {
    const next = atUnit + 1;
    if (next === INLINE_UNITS || (next > INLINE_UNITS && (next - INLINE_UNITS) % PAGE_UNITS === 0)) {
      this.unit(next);
      return atWord;
    }
    return atWord + 2;
  }

  /** Moves the reference when needed and sets the decay factors from `sec` to it. */
  private factors(sec: number): void {
    // the reference moves in steps; events a little after it are added with a factor > 1
    const ref = this.ref;
    if (sec > ref + REF_STEP || ref === 0) this.advance(sec);
    if (kOwner !== this || sec !== kSec || this.ref !== kRef) {
      const age = this.ref - sec;
      kShort = Math.exp(-age / TAU_SHORT);
      kLong = Math.exp(-age / TAU_LONG);
      kOwner = this;
      kSec = sec;
      kRef = this.ref;
    }
  }

  private advance(sec: number): void {
    const ref = this.ref;
    if (ref > 0) {
      const ks = Math.exp(-(sec - ref) / TAU_SHORT);
      const kl = Math.exp(-(sec - ref) / TAU_LONG);
      const u32 = this.s.u32;
      const lo = u32[(this.o + LO_AT) >> 2]!;
      const hi = u32[(this.o + HI_AT) >> 2]!;
      let u = 0;
      for (let id = 0; id < COUNTERS; id++) {
        if ((((id < 32 ? lo >>> id : hi >>> (id - 32)) & 1) === 0)) continue;
        this.unit(u);
        const v = atSlab.f32;
        v[atWord]! *= ks;
        v[atWord + 1]! *= kl;
        u += isTimed(id) ? 2 : 1;
      }
    }
    this.s.u32[(this.o + REF_AT) >> 2] = sec;
  }

  /** Decayed short-window count at `sec`. */
  short(id: CounterId, sec: number): number {
    if (!this.locate(id, false)) return 0;
    return atSlab.f32[atWord]! * Math.exp(-(sec - this.ref) / TAU_SHORT);
  }

  long(id: CounterId, sec: number): number {
    if (!this.locate(id, false)) return 0;
    return atSlab.f32[atWord + 1]! * Math.exp(-(sec - this.ref) / TAU_LONG);
  }

  first(id: CounterId): number {
    return this.time2(id, 2);
  }

  last(id: CounterId): number {
    return this.time2(id, 3);
  }

  private time2(id: CounterId, word: number): number {
    if (!isTimed(id)) throw new Error(`counter ${id} keeps no first/last times: add it to TIMED in src/engine/counters.ts`);
    if (!this.locate(id, false)) return 0;
    const w = this.timesWord();
    return atSlab.u32[w + word - 2]!;
  }

  /**
   * Points atSlab/atWord at operator slot `i` of the chain of pages from `first` (a page + 1; 0:
   * none); false when the chain is shorter. A slot is 4 u32: name id + 1 (0: empty), transactions,
   * read failures, input errors x 2.
   */
  private opSlot(first: number, i: number): boolean {
    if (first === 0) return false;
    const pages = this.s.pages!;
    let p = first - 1;
    for (let k = (i / OPS_PER_PAGE) | 0; k > 0; k--) {
      const n = pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]!;
      if (n === 0) return false;
      p = n - 1;
    }
    atSlab = pages.slabs[p >>> PAGE_SHIFT]!;
    atWord = ((p & PAGE_MASK) * PAGE + (i % OPS_PER_PAGE) * 16) >> 2;
    return true;
  }

  /**
   * Adds to the operator record of name id `id` in the chain from `first`, making one (a page more
   * every OPS_PER_PAGE) while there are fewer than `max`; returns the chain's first page + 1.
   */
  protected addOperator(first: number, id: number, txn: number, readFail: number, input2: number, max: number): number {
    let i = 0;
    for (; i < max; i++) {
      if (!this.opSlot(first, i)) break;
      const u = atSlab.u32;
      const w = atWord;
      const have = u[w]!;
      if (have !== 0 && have !== id + 1) continue;
      u[w] = id + 1;
      u[w + 1] = u[w + 1]! + txn;
      u[w + 2] = u[w + 2]! + readFail;
      u[w + 3] = u[w + 3]! + input2;
      return first;
    }
    if (i === max) return first;
    // the chain ends before slot i: one more page (pages are never reused, so it is zeroed)
    const pages = pagesFor(this.s);
    const page = newPage(pages) + 1;
    if (first === 0) first = page;
    else {
      let p = first - 1;
      while (pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]! !== 0) p = pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK]! - 1;
      pages.next[p >>> PAGE_SHIFT]![p & PAGE_MASK] = page;
    }
    return this.addOperator(first, id, txn, readFail, input2, max);
  }

  /** Operator slot `i` of the chain from `first` as [name id, transactions, read failures, input errors x 2]; undefined when empty. */
  protected operatorAt(first: number, i: number): [number, number, number, number] | undefined {
    if (!this.opSlot(first, i)) return undefined;
    const u = atSlab.u32;
    const w = atWord;
    return u[w] === 0 ? undefined : [u[w]! - 1, u[w + 1]!, u[w + 2]!, u[w + 3]!];
  }

  /** Whether the terminal sent anything in hour slot `slot` of the activity ring (1) or not (0). */
  hour(slot: number): number {
    return (this.s.u8[this.o + RING_AT + (slot >> 3)]! >> (slot & 7)) & 1;
  }

  /** Marks hour slot `slot` active (n > 0) or clears it. */
  setHour(slot: number, n: number): void {
    const i = this.o + RING_AT + (slot >> 3);
    const u8 = this.s.u8;
    u8[i] = n > 0 ? u8[i]! | (1 << (slot & 7)) : u8[i]! & ~(1 << (slot & 7));
  }

  time(i: number): number {
    return this.s.f64[(this.o >> 3) + i]!;
  }

  setTime(i: number, ms: number): void {
    this.s.f64[(this.o >> 3) + i] = ms;
  }

  /** Small unsigned number `i` (< SMALLS), uint32. */
  small(i: number): number {
    return this.s.u32[((this.o + SMALL_AT) >> 2) + i]!;
  }

  setSmall(i: number, n: number): void {
    this.s.u32[((this.o + SMALL_AT) >> 2) + i] = n;
  }

  block(): CountersBlock {
    const ids: number[] = [];
    const v: number[] = [];
    let u = 0;
    for (let id = 0; id < COUNTERS; id++) {
      if (!this.present(id)) continue;
      ids.push(id);
      this.unit(u);
      v.push(atSlab.f32[atWord]!, atSlab.f32[atWord + 1]!);
      if (isTimed(id)) {
        this.unit(u + 1);
        v.push(atSlab.u32[atWord]!, atSlab.u32[atWord + 1]!);
      }
      u += isTimed(id) ? 2 : 1;
    }
    let ring = 0;
    for (let h = RING_HOURS - 1; h >= 0; h--) ring = ring * 2 + this.hour(h);
    const times = Array.from(this.s.f64.subarray(this.o >> 3, (this.o >> 3) + TIMES));
    const smalls = Array.from(this.s.u32.subarray((this.o + SMALL_AT) >> 2, ((this.o + SMALL_AT) >> 2) + SMALLS));
    return { ids, v, ref: this.ref, ring, times, smalls };
  }

  /** Puts back what block() gave, into a fresh block. */
  restore(x: CountersBlock): void {
    let at = 0;
    for (const id of x.ids) {
      this.locate(id, true);
      atSlab.f32[atWord] = x.v[at++]!;
      atSlab.f32[atWord + 1] = x.v[at++]!;
      if (isTimed(id)) {
        const w = this.timesWord();
        atSlab.u32[w] = x.v[at++]!;
        atSlab.u32[w + 1] = x.v[at++]!;
      }
    }
    for (let h = 0, r = x.ring; h < RING_HOURS; h++, r = Math.floor(r / 2)) this.setHour(h, r % 2);
    this.s.f64.set(x.times, this.o >> 3);
    this.s.u32.set(x.smalls, (this.o + SMALL_AT) >> 2);
    this.s.u32[(this.o + REF_AT) >> 2] = x.ref;
  }
}
