// Decayed event counters: each counter keeps a short-window and a long-window exponentially
// decayed count plus the first (start of the current episode) and last time it moved.
// Events may arrive in any order: older events are added already decayed.

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

export class Counters {
  /** [short, long] per counter. */
  readonly v = new Float32Array(COUNTERS * 2);
  /** [first, last] per counter, epoch seconds. */
  readonly t = new Uint32Array(COUNTERS * 2);
  /** Reference time (epoch seconds) the decayed values are expressed at. */
  ref = 0;
  /** Decay factors of the last `add` time (an event adds to several counters at one time). */
  private kSec = -1;
  private kRef = -1;
  private kShort = 1;
  private kLong = 1;

  add(id: CounterId, sec: number, amount = 1): void {
    // the reference moves in steps; events a little after it are added with a factor > 1
    if (sec > this.ref + REF_STEP || this.ref === 0) this.advance(sec);
    if (sec !== this.kSec || this.ref !== this.kRef) {
      const age = this.ref - sec;
      this.kShort = Math.exp(-age / TAU_SHORT);
      this.kLong = Math.exp(-age / TAU_LONG);
      this.kSec = sec;
      this.kRef = this.ref;
    }
    this.v[id * 2] = this.v[id * 2]! + amount * this.kShort;
    this.v[id * 2 + 1] = this.v[id * 2 + 1]! + amount * this.kLong;
    const first = this.t[id * 2]!;
    const last = this.t[id * 2 + 1]!;
    if (last === 0 || sec - last > EPISODE_GAP) {
      if (sec >= last) this.t[id * 2] = sec;
    } else if (sec < first && first - sec < EPISODE_GAP) this.t[id * 2] = sec;
    if (sec > last) this.t[id * 2 + 1] = sec;
  }

  private advance(sec: number): void {
    if (this.ref > 0) {
      const ks = Math.exp(-(sec - this.ref) / TAU_SHORT);
      const kl = Math.exp(-(sec - this.ref) / TAU_LONG);
      for (let i = 0; i < COUNTERS; i++) {
        this.v[i * 2]! *= ks;
        this.v[i * 2 + 1]! *= kl;
      }
    }
    this.ref = sec;
  }

  /** Decayed short-window count at `sec`. */
  short(id: CounterId, sec: number): number {
    return this.v[id * 2]! * Math.exp(-(sec - this.ref) / TAU_SHORT);
  }

  long(id: CounterId, sec: number): number {
    return this.v[id * 2 + 1]! * Math.exp(-(sec - this.ref) / TAU_LONG);
  }

  first(id: CounterId): number {
    return this.t[id * 2]!;
  }

  last(id: CounterId): number {
    return this.t[id * 2 + 1]!;
  }
}
