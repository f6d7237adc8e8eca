// The health part of a terminal's state: latest self-test values from heartbeats (newest
// device time wins), when each non-ok value started, and version/app changes.

import type { HeartbeatEvent } from '../domain/index.ts';
import { C, Counters } from './counters.ts';
import { intern } from './intern.ts';

export const HOT_C = 55;
export const HUMID_PCT = 85;
/** Below this a terminal is not hot whatever its neighbours or its own day read. */
export const WARM_C = 42;
/** Degrees above what is usual (the terminal's own 24-hour mean, its region's) that make a terminal hot. */
export const HOTTER_C = 12;
export const WEAK_RSSI = -100;

/** A terminal's 24-hour mean temperature, if it reports one. */
export function meanTemp(c: Counters, now: number): number | undefined {
  const n = c.long(C.TEMP_N, now);
  return n >= 1 ? c.long(C.TEMP_SUM, now) / n : undefined;
}

export interface Health {
  at: number;
  /** Latest self-test values: printer, reader.chip, reader.contactless, reader.magstripe, screen, keypad, tamper. */
  readonly test: Record<string, string>;
  /** Since when (s) each non-ok self-test value has held; created with the first non-ok value. */
  since?: Record<string, number | undefined>;
  netType?: string;
  carrier?: string;
  rssi?: number;
  rtt?: number;
  dnsOk?: boolean;
  batteryHealth?: number;
  batteryLevel?: number;
  charging?: boolean;
  /** Level lost per hour off charge (smoothed), and the previous off-charge reading. */
  drainPerHour?: number;
  drainFromSec?: number;
  drainFromLevel?: number;
  temp?: number;
  /** Readings in a row (up to 15) that were hot for this terminal: WARM_C or more and HOTTER_C above its own 24-hour mean. */
  heatRun?: number;
  humidity?: number;
  storageFree?: number;
  storageLowSince?: number;
  firmware?: string;
  app?: string;
  firmwareChangedAt?: number;
  previousFirmware?: string;
  apps?: string;
  appAdded?: string;
  appAddedAt?: number;
}

/** One slot per self-test, created up front so that every terminal's record has the same shape. */
function selfTests<T>(): Record<string, T> {
  return { printer: undefined, 'reader.chip': undefined, 'reader.contactless': undefined, 'reader.magstripe': undefined, screen: undefined, keypad: undefined, tamper: undefined } as unknown as Record<string, T>;
}

/** Self-tests and their values, packed 4 bits per test into one small integer. */
const TESTS = ['printer', 'reader.chip', 'reader.contactless', 'reader.magstripe', 'screen', 'keypad', 'tamper'];
const VALUES = ['ok', 'paper_out', 'cover_open', 'overheat', 'fault', 'none', 'true', 'false'];

function testValue(bits: number, i: number): string | undefined {
  const v = (bits >>> (i * 4)) & 15;
  return v === 0 ? undefined : VALUES[v - 1];
}

function withTest(bits: number, i: number, value: string): number {
  const v = VALUES.indexOf(value) + 1;
  return (bits & ~(15 << (i * 4))) | (v << (i * 4));
}

/** What changes seldom or only on battery: kept apart so that most terminals' records are smaller. */
class HealthChanges {
  since: Record<string, number | undefined> | undefined = undefined;
  drainPerHour: number | undefined = undefined;
  drainFromSec: number | undefined = undefined;
  drainFromLevel: number | undefined = undefined;
  storageLowSince: number | undefined = undefined;
  firmwareChangedAt: number | undefined = undefined;
  previousFirmware: string | undefined = undefined;
  appAdded: string | undefined = undefined;
  appAddedAt: number | undefined = undefined;
}

// Slots of the health numbers in the terminal's slab block (TerminalState keeps its own below them).
const T_AT = 5;
const T_RSSI = 6;
const T_RTT = 7;
const T_BATTERY_HEALTH = 8;
const T_BATTERY_LEVEL = 9;
const T_TEMP = 10;
const T_HUMIDITY = 11;
const T_STORAGE = 12;
const S_TESTS = 4;
const S_FLAGS = 5;
const S_PROFILE = 6;

/**
 * The health strings (bearer, carrier, firmware, payment app, app list) of a terminal come as one
 * profile number: terminals share few combinations, so a terminal keeps 4 bytes, not 5 fields.
 * Profile 0 has none; the table only grows (by the combinations seen, also on the way to one).
 */
type Profile = readonly [netType: string | undefined, carrier: string | undefined, firmware: string | undefined, app: string | undefined, apps: string | undefined];
const PROFILES: Profile[] = [[undefined, undefined, undefined, undefined, undefined]];
const PROFILE_IDS = new Map<string, number>([[JSON.stringify(PROFILES[0]), 0]]);

function profileId(p: Profile): number {
  const key = JSON.stringify(p); // undefined as null: no two profiles share a key
  let id = PROFILE_IDS.get(key);
  if (id === undefined) {
    id = PROFILES.length;
    PROFILES.push(p);
    PROFILE_IDS.set(key, id);
  }
  return id;
}
/** Flags: bit (slot - T_RSSI) set when that number is known; booleans as known + value bits; a heartbeat seen; the heat run. */
const DNS_KNOWN = 1 << 8;
const DNS_OK = 1 << 9;
const CHARGING_KNOWN = 1 << 10;
const CHARGING = 1 << 11;
const HAS_HEALTH = 1 << 12;
/** The heat run (see Health.heatRun) in 4 bits of the flags, from this bit. */
const HEAT_RUN_AT = 16;
const HEAT_RUN_MAX = 15;

/**
 * The health record as part of the terminal's state: its numbers (exact float64 values, with a
 * known bit each) are in the state's slab block, its strings are fields here, the seldom fields in
 * `x`; `health` is the state itself once a heartbeat was seen (no object per terminal).
 */
export class HealthState extends Counters implements Health {
  /** The seldom fields (snapshots keep them under `x`). */
  x: HealthChanges | undefined = undefined;

  /** The latest heartbeat's health (undefined before the first). */
  get health(): Health | undefined {
    return (this.small(S_FLAGS) & HAS_HEALTH) !== 0 ? this : undefined;
  }

  /** Marks the health record as present (first heartbeat, or a snapshot's). */
  startHealth(): void {
    this.setSmall(S_FLAGS, this.small(S_FLAGS) | HAS_HEALTH);
  }

  private num(slot: number): number | undefined {
    return ((this.small(S_FLAGS) >>> (slot - T_RSSI)) & 1) === 1 ? this.time(slot) : undefined;
  }

  private setNum(slot: number, v: number | undefined): void {
    const bit = 1 << (slot - T_RSSI);
    const flags = this.small(S_FLAGS);
    if (v === undefined) {
      this.setSmall(S_FLAGS, flags & ~bit);
      this.setTime(slot, 0);
      return;
    }
    this.setSmall(S_FLAGS, flags | bit);
    this.setTime(slot, v);
  }

  private bool(known: number, value: number): boolean | undefined {
    const f = this.small(S_FLAGS);
    return (f & known) === 0 ? undefined : (f & value) !== 0;
  }

  private setBool(known: number, value: number, v: boolean | undefined): void {
    const f = this.small(S_FLAGS) & ~(known | value);
    this.setSmall(S_FLAGS, v === undefined ? f : f | known | (v ? value : 0));
  }

  private profile(i: number): string | undefined {
    return PROFILES[this.small(S_PROFILE)]![i];
  }

  private setProfile(i: number, v: string | undefined): void {
    const p = PROFILES[this.small(S_PROFILE)]!;
    if (p[i] === v) return;
    const next = [...p] as [string | undefined, string | undefined, string | undefined, string | undefined, string | undefined];
    next[i] = v === undefined ? undefined : intern(v);
    this.setSmall(S_PROFILE, profileId(next));
  }

  get netType(): string | undefined { return this.profile(0); }
  set netType(v: string | undefined) { this.setProfile(0, v); }
  get carrier(): string | undefined { return this.profile(1); }
  set carrier(v: string | undefined) { this.setProfile(1, v); }
  get firmware(): string | undefined { return this.profile(2); }
  set firmware(v: string | undefined) { this.setProfile(2, v); }
  get app(): string | undefined { return this.profile(3); }
  set app(v: string | undefined) { this.setProfile(3, v); }
  get apps(): string | undefined { return this.profile(4); }
  set apps(v: string | undefined) { this.setProfile(4, v); }

  get at(): number { return this.time(T_AT); }
  set at(sec: number) { this.setTime(T_AT, sec); }
  /** Latest self-test values, packed (see `test`). */
  get tests(): number { return this.small(S_TESTS); }
  set tests(bits: number) { this.setSmall(S_TESTS, bits >>> 0); }
  get rssi(): number | undefined { return this.num(T_RSSI); }
  set rssi(v: number | undefined) { this.setNum(T_RSSI, v); }
  get rtt(): number | undefined { return this.num(T_RTT); }
  set rtt(v: number | undefined) { this.setNum(T_RTT, v); }
  get batteryHealth(): number | undefined { return this.num(T_BATTERY_HEALTH); }
  set batteryHealth(v: number | undefined) { this.setNum(T_BATTERY_HEALTH, v); }
  get batteryLevel(): number | undefined { return this.num(T_BATTERY_LEVEL); }
  set batteryLevel(v: number | undefined) { this.setNum(T_BATTERY_LEVEL, v); }
  get temp(): number | undefined { return this.num(T_TEMP); }
  set temp(v: number | undefined) { this.setNum(T_TEMP, v); }
  get heatRun(): number { return (this.small(S_FLAGS) >>> HEAT_RUN_AT) & HEAT_RUN_MAX; }
  set heatRun(n: number) {
    const flags = this.small(S_FLAGS) & ~(HEAT_RUN_MAX << HEAT_RUN_AT);
    this.setSmall(S_FLAGS, (flags | (Math.min(n, HEAT_RUN_MAX) << HEAT_RUN_AT)) >>> 0);
  }
  get humidity(): number | undefined { return this.num(T_HUMIDITY); }
  set humidity(v: number | undefined) { this.setNum(T_HUMIDITY, v); }
  get storageFree(): number | undefined { return this.num(T_STORAGE); }
  set storageFree(v: number | undefined) { this.setNum(T_STORAGE, v); }
  get dnsOk(): boolean | undefined { return this.bool(DNS_KNOWN, DNS_OK); }
  set dnsOk(v: boolean | undefined) { this.setBool(DNS_KNOWN, DNS_OK, v); }
  get charging(): boolean | undefined { return this.bool(CHARGING_KNOWN, CHARGING); }
  set charging(v: boolean | undefined) { this.setBool(CHARGING_KNOWN, CHARGING, v); }

  private get changes(): HealthChanges {
    return (this.x ??= new HealthChanges());
  }

  get since(): Record<string, number | undefined> | undefined { return this.x?.since; }
  set since(v: Record<string, number | undefined> | undefined) { if (v !== undefined || this.x) this.changes.since = v; }
  get drainPerHour(): number | undefined { return this.x?.drainPerHour; }
  set drainPerHour(v: number | undefined) { if (v !== undefined || this.x) this.changes.drainPerHour = v; }
  get drainFromSec(): number | undefined { return this.x?.drainFromSec; }
  set drainFromSec(v: number | undefined) { if (v !== undefined || this.x) this.changes.drainFromSec = v; }
  get drainFromLevel(): number | undefined { return this.x?.drainFromLevel; }
  set drainFromLevel(v: number | undefined) { if (v !== undefined || this.x) this.changes.drainFromLevel = v; }
  get storageLowSince(): number | undefined { return this.x?.storageLowSince; }
  set storageLowSince(v: number | undefined) { if (v !== undefined || this.x) this.changes.storageLowSince = v; }
  get firmwareChangedAt(): number | undefined { return this.x?.firmwareChangedAt; }
  set firmwareChangedAt(v: number | undefined) { if (v !== undefined || this.x) this.changes.firmwareChangedAt = v; }
  get previousFirmware(): string | undefined { return this.x?.previousFirmware; }
  set previousFirmware(v: string | undefined) { if (v !== undefined || this.x) this.changes.previousFirmware = v; }
  get appAdded(): string | undefined { return this.x?.appAdded; }
  set appAdded(v: string | undefined) { if (v !== undefined || this.x) this.changes.appAdded = v; }
  get appAddedAt(): number | undefined { return this.x?.appAddedAt; }
  set appAddedAt(v: number | undefined) { if (v !== undefined || this.x) this.changes.appAddedAt = v; }

  /** The latest self-test values by name (unpacked on each read; reads happen at diagnosis time). */
  get test(): Record<string, string> {
    const out = selfTests<string>();
    for (let i = 0; i < TESTS.length; i++) {
      const v = testValue(this.tests, i);
      if (v !== undefined) out[TESTS[i]!] = v;
    }
    return out;
  }
}

/** The health fields a snapshot keeps besides the block (whose times and small numbers hold the rest). */
export function healthPlain(h: HealthState): Record<string, unknown> | undefined {
  if (h.health === undefined) return undefined;
  return { netType: h.netType, carrier: h.carrier, firmware: h.firmware, app: h.app, apps: h.apps, x: h.x };
}

/** Puts back what healthPlain() gave (the numbers come back with the block). */
export function restoreHealth(h: HealthState, plain: unknown): void {
  if (typeof plain !== 'object' || plain === null) return;
  const p = plain as { netType?: string; carrier?: string; firmware?: string; app?: string; apps?: string; x?: Partial<HealthChanges> };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  h.netType = str(p.netType);
  h.carrier = str(p.carrier);
  h.firmware = str(p.firmware);
  h.app = str(p.app);
  h.apps = str(p.apps);
  if (p.x) h.x = Object.assign(new HealthChanges(), p.x);
  h.startHealth();
}

function setTest(h: HealthState, i: number, value: string | undefined, sec: number): void {
  if (value === undefined) return;
  const current = (h.tests >>> (i * 4)) & 15;
  if (current !== 0 && VALUES[current - 1] === value) return; // unchanged: the usual heartbeat
  h.tests = withTest(h.tests, i, value);
  const key = TESTS[i]!;
  if (value === 'ok' || value === 'false' || value === 'none') {
    if (h.since) h.since[key] = undefined; // no delete: keeps the object's shape
  } else (h.since ??= selfTests())[key] = sec;
}

/** Whether `apps`, already in sort order, joined with commas is `joined` (no string built). */
function sameApps(apps: readonly string[], joined: string): boolean {
  let at = 0;
  for (let i = 0; i < apps.length; i++) {
    const a = apps[i]!;
    if (typeof a !== 'string' || (i > 0 && apps[i - 1]! > a)) return false;
    if (i > 0 && joined.charCodeAt(at++) !== 44) return false;
    if (!joined.startsWith(a, at)) return false;
    at += a.length;
  }
  return at === joined.length;
}

function foldVersions(h: Health, e: HeartbeatEvent, sec: number): void {
  const fw = e.versions?.firmware;
  if (fw !== undefined && fw !== h.firmware) {
    if (h.firmware !== undefined) {
      h.previousFirmware = h.firmware;
      h.firmwareChangedAt = sec;
    }
    h.firmware = intern(fw);
  }
  const app = e.versions?.app;
  if (app !== undefined && app !== h.app) h.app = intern(app);
  if (e.apps !== undefined && !(h.apps !== undefined && sameApps(e.apps, h.apps))) {
    const list = intern([...e.apps].sort().join(','));
    if (h.apps !== undefined && list !== h.apps) {
      const before = new Set(h.apps.split(','));
      const added = e.apps.find((a) => !before.has(a));
      if (added !== undefined) {
        h.appAdded = intern(added);
        h.appAddedAt = sec;
      }
    }
    h.apps = list;
  }
}

function foldBattery(h: Health, e: HeartbeatEvent, sec: number): void {
  const b = e.battery;
  if (!b) return;
  if (b.health_pct !== undefined) h.batteryHealth = b.health_pct;
  if (b.charging !== undefined) h.charging = b.charging;
  if (b.level_pct === undefined) return;
  h.batteryLevel = b.level_pct;
  if (b.charging === false) {
    const from = h.drainFromSec;
    if (from !== undefined && sec > from && sec - from < 3 * 3600) {
      const rate = ((h.drainFromLevel! - b.level_pct) * 3600) / (sec - from);
      h.drainPerHour = h.drainPerHour === undefined ? rate : 0.7 * h.drainPerHour + 0.3 * rate;
    }
    h.drainFromSec = sec;
    h.drainFromLevel = b.level_pct;
  } else h.drainFromSec = undefined;
}

function foldNet(h: Health, c: Counters, e: HeartbeatEvent, sec: number, latest: boolean): void {
  const n = e.net;
  if (!n) return;
  const cellular = n.type !== undefined && n.type !== 'ethernet' && n.type !== 'wifi';
  if (n.host_rtt_ms !== undefined) {
    c.add(C.RTT_SUM, sec, Math.min(n.host_rtt_ms, 60_000));
    c.add(C.RTT_N, sec);
  } else c.add(C.HB_NORTT, sec);
  if (n.rssi_dbm !== undefined && (cellular || n.type === 'wifi')) {
    c.add(C.RSSI_SUM, sec, n.rssi_dbm);
    c.add(C.RSSI_N, sec);
    if (n.rssi_dbm <= WEAK_RSSI) c.add(C.RSSI_WEAK, sec);
  }
  if (n.dns_ok === false) c.add(C.HB_DNS_BAD, sec);
  if (!latest) return;
  if (n.type && n.type !== h.netType) h.netType = intern(n.type);
  if (n.carrier && n.carrier !== h.carrier) h.carrier = intern(n.carrier);
  h.rssi = n.rssi_dbm ?? h.rssi;
  h.rtt = n.host_rtt_ms;
  if (n.dns_ok !== undefined) h.dnsOk = n.dns_ok;
}

function foldEnv(h: Health, c: Counters, e: HeartbeatEvent, sec: number, latest: boolean): void {
  const t = e.env?.temp_c;
  const hum = e.env?.humidity_pct;
  if (t !== undefined) {
    if (latest) {
      // a spot that just turned hot (sun, a heater) shows against the terminal's own day at once,
      // hours before its 2-hour mean gets there; the run counts such readings in a row
      const usual = meanTemp(c, sec);
      h.heatRun = usual !== undefined && t >= WARM_C && t - usual >= HOTTER_C ? (h.heatRun ?? 0) + 1 : 0;
    }
    c.add(C.TEMP_SUM, sec, t);
    c.add(C.TEMP_N, sec);
    // a printer overheating in a normal room is the printer's fault, not the weather's
    if (t >= HOT_C || (e.printer === 'overheat' && t >= HOT_C - 10)) c.add(C.HOT, sec);
    if (latest) h.temp = t;
  }
  if (hum !== undefined) {
    if (hum >= HUMID_PCT) c.add(C.HUMID, sec);
    if (latest) h.humidity = hum;
  }
}

/** Folds one heartbeat into the health record; older heartbeats only feed the counters. */
export function fold(h: HealthState, e: HeartbeatEvent, sec: number): void {
  const c: Counters = h;
  h.startHealth();
  c.add(C.HB, sec);
  const latest = sec >= h.at;
  foldNet(h, c, e, sec, latest);
  foldEnv(h, c, e, sec, latest);
  if (!latest) return;
  h.at = sec;
  // indexes into TESTS
  setTest(h, 0, e.printer, sec);
  const r = e.reader;
  if (r != null) {
    setTest(h, 1, r.chip, sec);
    setTest(h, 2, r.contactless, sec);
    setTest(h, 3, r.magstripe, sec);
  }
  setTest(h, 4, e.screen, sec);
  setTest(h, 5, e.keypad, sec);
  setTest(h, 6, e.tamper === undefined ? undefined : e.tamper === true ? 'true' : e.tamper === false ? 'false' : String(e.tamper), sec);
  foldBattery(h, e, sec);
  foldVersions(h, e, sec);
  if (e.storage_free_mb !== undefined) {
    h.storageFree = e.storage_free_mb;
    if (e.storage_free_mb < 100) h.storageLowSince ??= sec;
    else h.storageLowSince = undefined;
  }
}
