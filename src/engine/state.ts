// Compact per-terminal state folded from events: decayed counters, an hourly activity ring,
// the latest self-test values and the onsets of the changes detectors care about.

import type { BootEvent, ErrorEvent, HeartbeatEvent, PosEvent, ReportEvent, TxnEvent, UpdateEvent } from '../domain/index.ts';
import { C, type Counters, RING_HOURS } from './counters.ts';
import { fold as foldHeartbeat, HealthState } from './state.heartbeat.ts';
import { intern } from './intern.ts';

export { RING_HOURS };

export interface OperatorStats {
  name: string;
  txn: number;
  readFail: number;
  input: number;
}

export interface UpdateInfo {
  component: string;
  status: string;
  to?: string | undefined;
  from?: string | undefined;
  campaign?: string | undefined;
  at: number;
}

/** Slots of the times a terminal keeps in its counters block (float64, milliseconds). */
const LAST_ARRIVAL = 0;
const FIRST_ARRIVAL = 1;
const LAST_SKEW = 2;
const SKEW_FROM = 3;
const HB_GAP = 4;
/** Slots of the small numbers (uint32) it keeps there. */
const RING_HOUR = 0;
const SKEW_STREAK = 1;
const FAILED_UPDATES = 2;
const FIRST_CRASH = 3;

/** What few terminals have: 91 answers per bin, reported symptoms, update events. */
interface Rare {
  bins91: Map<string, number> | undefined;
  reports: Record<string, number> | undefined;
  updates: UpdateInfo[] | undefined;
}

/**
 * A terminal's state; its counters, hourly activity ring, the times and the small numbers below
 * are its slab block, so the object itself holds only what is not a number.
 */
export class TerminalState extends HealthState {
  /** The terminal's name; the engine gives events this one string so maps hash it once. */
  name = '';
  /** The fleet correlator's row of this terminal (-1: none yet); see stateRows. */
  row = -1;
  /**
   * The operators (cashiers) seen, at most 16, in first-seen order: records of name id and counts
   * in overflow pages of the terminal's slab (see Counters.addOperator); this is the first page + 1
   * (0: none), so a terminal holds no array or object per operator.
   */
  private ops = 0;
  private rare: Rare | undefined = undefined;

  /** The operators seen (a fresh list of fresh records: read it, changing it changes nothing). */
  get operators(): OperatorStats[] | undefined {
    if (this.ops === 0) return undefined;
    const out: OperatorStats[] = [];
    for (let i = 0; i < MAX_OPERATORS; i++) {
      const r = this.operatorAt(this.ops, i);
      if (r === undefined) break;
      out.push({ name: OPERATOR_NAMES[r[0]]!, txn: r[1], readFail: r[2], input: r[3] / 2 });
    }
    return out;
  }

  set operators(list: OperatorStats[] | undefined) {
    if (this.ops !== 0) throw new Error('operators are set once, on a fresh state (snapshot restore)');
    for (const o of list ?? []) this.countOperator(o.name, o.txn, o.readFail, Math.round(o.input * 2));
  }

  /** Adds to operator `name`'s counts (a new operator while there are fewer than 16); input errors count 2, a PIN error 1. */
  countOperator(name: string, txn: number, readFail: number, input2: number): void {
    this.ops = this.addOperator(this.ops, operatorId(name), txn, readFail, input2, MAX_OPERATORS);
  }

  /** The decayed counters (the state itself: one object per terminal instead of two). */
  get counters(): Counters {
    return this;
  }

  private get more(): Rare {
    return (this.rare ??= { bins91: undefined, reports: undefined, updates: undefined });
  }

  /** 91 answers per 6-digit bin. */
  get bins91(): Map<string, number> | undefined { return this.rare?.bins91; }
  set bins91(m: Map<string, number> | undefined) { if (m !== undefined || this.rare) this.more.bins91 = m; }
  /** Latest time (seconds) of each reported symptom. */
  get reports(): Record<string, number> | undefined { return this.rare?.reports; }
  set reports(r: Record<string, number> | undefined) { if (r !== undefined || this.rare) this.more.reports = r; }
  get updates(): UpdateInfo[] | undefined { return this.rare?.updates; }
  set updates(u: UpdateInfo[] | undefined) { if (u !== undefined || this.rare) this.more.updates = u; }

  /** Events per hour by arrival time: slot = hour % RING_HOURS (counters.hour()); the newest hour. */
  get ringHour(): number { return this.small(RING_HOUR); }
  set ringHour(hour: number) { this.setSmall(RING_HOUR, hour); }
  /** Device-clock skew: how many events in a row were skewed. */
  get skewStreak(): number { return this.small(SKEW_STREAK); }
  set skewStreak(n: number) { this.setSmall(SKEW_STREAK, n); }
  get failedUpdates(): number { return this.small(FAILED_UPDATES); }
  set failedUpdates(n: number) { this.setSmall(FAILED_UPDATES, n); }
  /** First crash ever seen (APP_CRASH/APP_ANR or a crash/watchdog boot), epoch seconds. */
  get firstCrash(): number { return this.small(FIRST_CRASH); }
  set firstCrash(sec: number) { this.setSmall(FIRST_CRASH, sec); }

  /** Arrival-clock time (ms) of the most recent event and of the first one. */
  get lastArrival(): number { return this.time(LAST_ARRIVAL); }
  set lastArrival(ms: number) { this.setTime(LAST_ARRIVAL, ms); }
  get firstArrival(): number { return this.time(FIRST_ARRIVAL); }
  set firstArrival(ms: number) { this.setTime(FIRST_ARRIVAL, ms); }
  /** Device-clock skew (ms) of the latest event. */
  get lastSkew(): number { return this.time(LAST_SKEW); }
  set lastSkew(ms: number) { this.setTime(LAST_SKEW, ms); }
  /** Arrival time (ms) when the current streak of skewed events began. */
  get skewFrom(): number { return this.time(SKEW_FROM); }
  set skewFrom(ms: number) { this.setTime(SKEW_FROM, ms); }
  /** Usual gap between heartbeats (s, smoothed; 0 until two were seen): vendors send every 60 s to hourly. */
  get hbGap(): number { return this.time(HB_GAP); }
  set hbGap(sec: number) { this.setTime(HB_GAP, sec); }
}

const RC_CLASS: Record<string, number> = {
  '03': C.RC_SETUP, '58': C.RC_SETUP,
  '61': C.RC_LIMIT, '65': C.RC_LIMIT,
  '12': C.RC_INPUT, '13': C.RC_INPUT, '14': C.RC_INPUT,
  '55': C.RC_PIN,
  '91': C.RC_HOST, '96': C.RC_HOST,
  A0: C.RC_KEY,
  '05': C.RC_BUSINESS, '51': C.RC_BUSINESS, '54': C.RC_BUSINESS, '57': C.RC_BUSINESS,
  '62': C.RC_BUSINESS, '41': C.RC_BUSINESS, '43': C.RC_BUSINESS,
};

/** Class per response code as it comes (-1: none), so a transaction costs one Map lookup and no toUpperCase(). */
const RC_SEEN = new Map<string, number>();

function rcClass(rc: string): number | undefined {
  let cls = RC_SEEN.get(rc);
  if (cls === undefined) {
    cls = RC_CLASS[rc.toUpperCase()] ?? -1;
    if (RC_SEEN.size < 4096) RC_SEEN.set(rc, cls);
  }
  return cls === -1 ? undefined : cls;
}

const ERROR_CLASS: Record<string, number> = {
  APP_CRASH: C.CRASH, APP_ANR: C.CRASH, PRINTER_ERROR: C.PRINTER_ERR, NET_CONNECT_FAIL: C.NET_FAIL,
  DNS_FAIL: C.DNS_FAIL, TLS_FAIL: C.TLS_FAIL, HOST_TIMEOUT: C.HOST_TIMEOUT, KEY_ERROR: C.KEY_ERR,
  STORAGE_FULL: C.STORAGE_ERR, CLOCK_ERROR: C.CLOCK_ERR, PIN_TIMEOUT: C.PIN_TIMEOUT,
};

const ENTRY_TX: Record<string, number> = { chip: C.TX_CHIP, contactless: C.TX_CTLS, swipe: C.TX_SWIPE, fallback: C.TX_FALLBACK };
const ENTRY_RF: Record<string, number> = { chip: C.RF_CHIP, fallback: C.RF_CHIP, contactless: C.RF_CTLS, swipe: C.RF_SWIPE };

/** Folds one event; `sec` is its effective time (epoch s), `arrival` the arrival clock (ms). */
export function foldEvent(s: TerminalState, e: PosEvent, sec: number, arrival: number, clockCoherent = true): void {
  noteArrival(s, e, arrival, clockCoherent);
  s.counters.add(C.EV, sec);
  switch (e.type) {
    case 'heartbeat':
      noteHeartbeatGap(s, sec);
      foldHeartbeat(s, e as HeartbeatEvent, sec);
      break;
    case 'txn':
      foldTxn(s, e as TxnEvent, sec);
      break;
    case 'error':
      foldError(s, e as ErrorEvent, sec);
      break;
    case 'boot':
      foldBoot(s, e as BootEvent, sec);
      break;
    case 'update':
      foldUpdate(s, e as UpdateEvent, sec);
      break;
    case 'report':
      foldReport(s, e as ReportEvent, sec);
      break;
  }
}

/** Gaps longer than 2 h are silences (night, outage), not the heartbeat interval. */
function noteHeartbeatGap(s: TerminalState, sec: number): void {
  const prev = s.health?.at ?? 0;
  const d = sec - prev;
  if (prev === 0 || d <= 0 || d >= 7200) return;
  s.hbGap = s.hbGap === 0 ? d : 0.8 * s.hbGap + 0.2 * d;
}

function noteArrival(s: TerminalState, e: PosEvent, arrival: number, clockCoherent: boolean): void {
  if (s.firstArrival === 0) s.firstArrival = arrival;
  s.lastArrival = Math.max(s.lastArrival, arrival);
  const hour = Math.floor(arrival / 3_600_000);
  let ringHour = s.ringHour;
  if (hour > ringHour) {
    const clear = Math.min(RING_HOURS, hour - ringHour);
    for (let i = 1; i <= clear; i++) s.counters.setHour((ringHour + i) % RING_HOURS, 0);
    s.ringHour = ringHour = hour;
  }
  if (ringHour - hour < RING_HOURS) s.counters.setHour(hour % RING_HOURS, 1);
  const skew = e.tsMs - arrival;
  s.lastSkew = skew;
  if (!clockCoherent) return;
  if (Math.abs(skew) > 10 * 60_000) {
    if (s.skewStreak === 0) s.skewFrom = arrival;
    s.skewStreak = Math.min(s.skewStreak + 1, 60_000);
  } else s.skewStreak = 0;
}

const MAX_OPERATORS = 16;
/** Operator names by id, shared by every terminal (names repeat across a fleet: "01", "02", ...). */
const OPERATOR_NAMES: string[] = [];
const OPERATOR_IDS = new Map<string, number>();

function operatorId(name: string): number {
  let id = OPERATOR_IDS.get(name);
  if (id === undefined) {
    id = OPERATOR_NAMES.length;
    OPERATOR_NAMES.push(name);
    OPERATOR_IDS.set(name, id);
  }
  return id;
}

function foldTxn(s: TerminalState, e: TxnEvent, sec: number): void {
  const c = s.counters;
  c.add(C.TXN, sec);
  const rc = e.rc ?? null;
  if (rc === '00') c.add(C.TXN_OK, sec);
  if (e.timeout === true || rc === null) c.add(C.TIMEOUT, sec);
  const cls = rc === null ? undefined : rcClass(rc);
  if (cls !== undefined) c.add(cls as never, sec);
  if (e.entry) {
    const tx = ENTRY_TX[e.entry];
    if (tx !== undefined) c.add(tx as never, sec);
  }
  if (typeof e.latency_ms === 'number' && e.timeout !== true) {
    c.add(C.LAT_SUM, sec, Math.min(e.latency_ms, 60_000));
    c.add(C.LAT_N, sec);
  }
  if (e.operator !== undefined) s.countOperator(e.operator, 1, e.entry === 'fallback' ? 1 : 0, cls === C.RC_INPUT ? 2 : cls === C.RC_PIN ? 1 : 0);
  if ((rc === '91' || rc === '96') && e.bin) {
    s.bins91 ??= new Map();
    const bin = intern(e.bin.slice(0, 6));
    s.bins91.set(bin, (s.bins91.get(bin) ?? 0) + 1);
  }
}

function foldError(s: TerminalState, e: ErrorEvent, sec: number): void {
  const cls = ERROR_CLASS[e.code];
  if (cls !== undefined) s.counters.add(cls as never, sec);
  if (cls === C.CRASH) noteCrash(s, sec);
  if (e.code === 'CARD_READ_FAIL') {
    const rf = ENTRY_RF[e.entry ?? 'chip'];
    if (rf !== undefined) s.counters.add(rf as never, sec);
    if (e.operator !== undefined) s.countOperator(e.operator, 0, 1, 0);
  }
}

function foldBoot(s: TerminalState, e: BootEvent, sec: number): void {
  s.counters.add(C.BOOT, sec);
  if (e.reason === 'crash' || e.reason === 'watchdog') {
    s.counters.add(C.BOOT_CRASH, sec);
    noteCrash(s, sec);
  }
  if (e.reason === 'low_battery') s.counters.add(C.LOWBAT_BOOT, sec);
}

function foldUpdate(s: TerminalState, e: UpdateEvent, sec: number): void {
  if (e.status === 'failed') s.failedUpdates++;
  if (e.status === 'downloading') return;
  // every field in the literal (one shape, no property array for fields added later), and lists
  // of exact size (push() on an empty list reserves 17 slots)
  const info: UpdateInfo = {
    component: e.component ?? 'app', status: e.status ?? 'installed',
    to: e.to ? intern(e.to) : undefined, from: e.from ? intern(e.from) : undefined, campaign: e.campaign ? intern(e.campaign) : undefined, at: sec,
  };
  const list = s.updates ? [...s.updates, info] : [info];
  list.sort((a, b) => a.at - b.at);
  s.updates = list.length > 4 ? list.slice(1) : list;
}

function foldReport(s: TerminalState, e: ReportEvent, sec: number): void {
  if (!e.symptom) return;
  s.reports ??= {};
  s.reports[e.symptom] = Math.max(s.reports[e.symptom] ?? 0, sec);
}

function noteCrash(s: TerminalState, sec: number): void {
  if (s.firstCrash === 0 || sec < s.firstCrash) s.firstCrash = sec;
}

/**
 * The correlator's row numbers kept on the engine's terminal states (the correlator then needs no
 * Map of its own by terminal); a terminal without a state (not the engine's case) gets a Map entry.
 */
export function stateRows(states: { get(terminal: string): TerminalState | undefined }): { get(terminal: string): number | undefined; set(terminal: string, row: number): void } {
  const others = new Map<string, number>();
  return {
    get(terminal) {
      const s = states.get(terminal);
      return s !== undefined && s.row >= 0 ? s.row : others.get(terminal);
    },
    set(terminal, row) {
      const s = states.get(terminal);
      if (s !== undefined) s.row = row;
      else others.set(terminal, row);
    },
  };
}
