// The health part of a terminal's state: latest self-test values from heartbeats (newest
// device time wins), when each non-ok value started, and version/app changes.

import type { HeartbeatEvent } from '../domain/index.ts';
import { C, type Counters } from './counters.ts';
import { intern } from './intern.ts';

export const HOT_C = 55;
export const HUMID_PCT = 85;
export const WEAK_RSSI = -100;

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

/** Every field set up front: one shape for every terminal, all fields in the object itself. */
class HealthRecord implements Health {
  at = 0;
  /** Latest self-test values, packed (see `test`). */
  tests = 0;
  netType: string | undefined = undefined;
  carrier: string | undefined = undefined;
  rssi: number | undefined = undefined;
  rtt: number | undefined = undefined;
  dnsOk: boolean | undefined = undefined;
  batteryHealth: number | undefined = undefined;
  batteryLevel: number | undefined = undefined;
  charging: boolean | undefined = undefined;
  temp: number | undefined = undefined;
  humidity: number | undefined = undefined;
  storageFree: number | undefined = undefined;
  firmware: string | undefined = undefined;
  app: string | undefined = undefined;
  apps: string | undefined = undefined;
  /** The seldom fields (snapshots keep them under `x`). */
  x: HealthChanges | undefined = undefined;

  private get more(): HealthChanges {
    return (this.x ??= new HealthChanges());
  }

  get since(): Record<string, number | undefined> | undefined { return this.x?.since; }
  set since(v: Record<string, number | undefined> | undefined) { if (v !== undefined || this.x) this.more.since = v; }
  get drainPerHour(): number | undefined { return this.x?.drainPerHour; }
  set drainPerHour(v: number | undefined) { if (v !== undefined || this.x) this.more.drainPerHour = v; }
  get drainFromSec(): number | undefined { return this.x?.drainFromSec; }
  set drainFromSec(v: number | undefined) { if (v !== undefined || this.x) this.more.drainFromSec = v; }
  get drainFromLevel(): number | undefined { return this.x?.drainFromLevel; }
  set drainFromLevel(v: number | undefined) { if (v !== undefined || this.x) this.more.drainFromLevel = v; }
  get storageLowSince(): number | undefined { return this.x?.storageLowSince; }
  set storageLowSince(v: number | undefined) { if (v !== undefined || this.x) this.more.storageLowSince = v; }
  get firmwareChangedAt(): number | undefined { return this.x?.firmwareChangedAt; }
  set firmwareChangedAt(v: number | undefined) { if (v !== undefined || this.x) this.more.firmwareChangedAt = v; }
  get previousFirmware(): string | undefined { return this.x?.previousFirmware; }
  set previousFirmware(v: string | undefined) { if (v !== undefined || this.x) this.more.previousFirmware = v; }
  get appAdded(): string | undefined { return this.x?.appAdded; }
  set appAdded(v: string | undefined) { if (v !== undefined || this.x) this.more.appAdded = v; }
  get appAddedAt(): number | undefined { return this.x?.appAddedAt; }
  set appAddedAt(v: number | undefined) { if (v !== undefined || this.x) this.more.appAddedAt = v; }

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

/** A health record from its snapshot (plain JSON). */
export function restoreHealth(plain: unknown): Health | undefined {
  if (typeof plain !== 'object' || plain === null) return undefined;
  const { test, x, ...rest } = plain as { test?: Record<string, string>; x?: Partial<HealthChanges> };
  const h = Object.assign(new HealthRecord(), rest);
  if (x) h.x = Object.assign(new HealthChanges(), x);
  if (test) for (const [k, v] of Object.entries(test)) if (TESTS.includes(k) && v) h.tests = withTest(h.tests, TESTS.indexOf(k), v);
  return h;
}

function setTest(h: HealthRecord, i: number, value: string | undefined, sec: number): void {
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
export function fold(prev: Health | undefined, c: Counters, e: HeartbeatEvent, sec: number): Health {
  const h = (prev ?? new HealthRecord()) as HealthRecord;
  c.add(C.HB, sec);
  const latest = sec >= h.at;
  foldNet(h, c, e, sec, latest);
  foldEnv(h, c, e, sec, latest);
  if (!latest) return h;
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
  return h;
}
