// Decayed event counters: each counter keeps a short-window and a long-window exponentially
// decayed count plus the first (start of the current episode) and last time it moved.
// Events may arrive in any order: older events are added already decayed.
//
// Memory: a terminal's counters, its hourly activity ring and a few times live in one block of a
// shared slab (an ArrayBuffer for 1,024 terminals), so a terminal costs no typed-array objects
// of its own, only a block offset (TerminalState extends Counters).

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

/** Short and long decay constants (seconds). */
export const TAU_SHORT = 2 * 3600;
export const TAU_LONG = 24 * 3600;
/** A counter silent for longer than this starts a new episode (its `first` moves). */
export const EPISODE_GAP = 6 * 3600;
/** How far events may run ahead of the reference before the counters are decayed forward (s). */
const REF_STEP = 900;
/** Hours in the activity ring. */
export const RING_HOURS = 48;
/** Times (float64) kept in the block; see TerminalState. */
export const TIMES = 6;

// Block layout in bytes: TIMES float64, then 2 float32 per counter, 2 uint32 per counter, the ring.
const V_AT = TIMES * 8;
const T_AT = V_AT + COUNTERS * 8;
const RING_AT = T_AT + COUNTERS * 8;
const BLOCK = Math.ceil((RING_AT + RING_HOURS) / 8) * 8;
const SLAB_BLOCKS = 1024;

interface Slab {
  f64: Float64Array;
  f32: Float32Array;
  u32: Uint32Array;
  u8: Uint8Array;
}

let slab: Slab | undefined;
let nextBlock = SLAB_BLOCKS;

function newSlab(): Slab {
  const buf = new ArrayBuffer(BLOCK * SLAB_BLOCKS);
  return { f64: new Float64Array(buf), f32: new Float32Array(buf), u32: new Uint32Array(buf), u8: new Uint8Array(buf) };
}

// Decay factors of the last add (an event adds to several counters of one terminal at one time).
let kOwner: Counters | undefined;
let kSec = -1;
let kRef = -1;
let kShort = 1;
let kLong = 1;

export class Counters {
  private readonly s: Slab;
  /** Block offset in bytes. */
  private readonly o: number;
  /** Reference time (epoch seconds) the decayed values are expressed at. */
  ref = 0;

  constructor() {
    if (nextBlock === SLAB_BLOCKS) {
      slab = newSlab();
      nextBlock = 0;
    }
    this.s = slab!;
    this.o = BLOCK * nextBlock++;
  }

  add(id: CounterId, sec: number, amount = 1): void {
    // an event adds to several counters at one time: after the first, the factors are known and
    // the reference cannot need to move (it moved, if at all, in that first add)
    if (kOwner !== this || sec !== kSec || this.ref !== kRef) this.factors(sec);
    const v = this.s.f32;
    const t = this.s.u32;
    const vi = ((this.o + V_AT) >> 2) + id * 2;
    const ti = ((this.o + T_AT) >> 2) + id * 2;
    v[vi] = v[vi]! + amount * kShort;
    v[vi + 1] = v[vi + 1]! + amount * kLong;
    const first = t[ti]!;
    const last = t[ti + 1]!;
    if (last === 0 || sec - last > EPISODE_GAP) {
      if (sec >= last) t[ti] = sec;
    } else if (sec < first && first - sec < EPISODE_GAP) t[ti] = sec;
    if (sec > last) t[ti + 1] = sec;
  }

  /** Moves the reference when needed and sets the decay factors from `sec` to it. */
  private factors(sec: number): void {
    // the reference moves in steps; events a little after it are added with a factor > 1
    if (sec > this.ref + REF_STEP || this.ref === 0) this.advance(sec);
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
    if (this.ref > 0) {
      const ks = Math.exp(-(sec - this.ref) / TAU_SHORT);
      const kl = Math.exp(-(sec - this.ref) / TAU_LONG);
      const v = this.s.f32;
      const base = (this.o + V_AT) >> 2;
      for (let i = 0; i < COUNTERS; i++) {
        v[base + i * 2]! *= ks;
        v[base + i * 2 + 1]! *= kl;
      }
    }
    this.ref = sec;
  }

  /** Decayed short-window count at `sec`. */
  short(id: CounterId, sec: number): number {
    return this.s.f32[((this.o + V_AT) >> 2) + id * 2]! * Math.exp(-(sec - this.ref) / TAU_SHORT);
  }

  long(id: CounterId, sec: number): number {
    return this.s.f32[((this.o + V_AT) >> 2) + id * 2 + 1]! * Math.exp(-(sec - this.ref) / TAU_LONG);
  }

  first(id: CounterId): number {
    return this.s.u32[((this.o + T_AT) >> 2) + id * 2]!;
  }

  last(id: CounterId): number {
    return this.s.u32[((this.o + T_AT) >> 2) + id * 2 + 1]!;
  }

  /** Events in hour slot `slot` of the activity ring. */
  hour(slot: number): number {
    return this.s.u8[this.o + RING_AT + slot]!;
  }

  setHour(slot: number, n: number): void {
    this.s.u8[this.o + RING_AT + slot] = n;
  }

  time(i: number): number {
    return this.s.f64[(this.o >> 3) + i]!;
  }

  setTime(i: number, ms: number): void {
    this.s.f64[(this.o >> 3) + i] = ms;
  }

  block(): { v: number[]; t: number[]; ref: number; ring: number[]; times: number[] } {
    const v = this.s.f32.subarray((this.o + V_AT) >> 2, ((this.o + V_AT) >> 2) + COUNTERS * 2);
    const t = this.s.u32.subarray((this.o + T_AT) >> 2, ((this.o + T_AT) >> 2) + COUNTERS * 2);
    const ring = this.s.u8.subarray(this.o + RING_AT, this.o + RING_AT + RING_HOURS);
    const times = this.s.f64.subarray(this.o >> 3, (this.o >> 3) + TIMES);
    return { v: Array.from(v), t: Array.from(t), ref: this.ref, ring: Array.from(ring), times: Array.from(times) };
  }

  restore(x: { v: number[]; t: number[]; ref: number; ring?: number[]; times?: number[] }): void {
    this.s.f32.set(x.v, (this.o + V_AT) >> 2);
    this.s.u32.set(x.t, (this.o + T_AT) >> 2);
    if (x.ring) this.s.u8.set(x.ring, this.o + RING_AT);
    if (x.times) this.s.f64.set(x.times, this.o >> 3);
    this.ref = x.ref;
  }
}
