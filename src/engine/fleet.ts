// Fleet baselines computed at diagnosis time from every terminal's state: read-failure rates
// per entry mode, latency per host, signal per carrier and region, silent terminals per
// merchant, which bin ranges answer 91 on many terminals, and crashing terminals per
// third-party app and per build (model, firmware, payment app).

import type { RegistryTerminal } from '../domain/index.ts';
import { C } from './counters.ts';
import { meanTemp } from './state.heartbeat.ts';
import { RING_HOURS, type TerminalState } from './state.ts';

export interface GroupStat {
  terminals: number;
  silent: number;
}

export interface FleetBaseline {
  /** Long-window fleet sums: failures and successful reads of chip, contactless, swipe. */
  reads: number[];
  chipFailRate: number;
  contactlessFailRate: number;
  swipeFailRate: number;
  /** Mean latency per host over the long window and the short window (ms). */
  hostLatency: Map<string, { long: number; short: number; terminals: number }>;
  /** Mean RSSI per carrier|region. */
  signal: Map<string, number>;
  /** Per bearer (wifi or cellular): mean and spread of the terminals' own mean RSSI (vendors and bearers use different scales). */
  signalByBearer: Map<string, { mean: number; sd: number; terminals: number }>;
  /** Per merchant: terminals and silent ones. */
  merchants: Map<string, GroupStat>;
  /** Per region: sums of the terminals' own mean temperature (24 h) and latest humidity, to judge one terminal against its neighbours. */
  climate: Map<string, Climate>;
  /** 6-digit bins answering 91/96 and how many terminals saw them. */
  bins91: Map<string, number>;
  /** First arrival time (ms) of the fleet's data. */
  observedFrom: number;
  /** Terminals that have reported, and per hour (epoch hours) how many silent ones went quiet then. */
  reporting: number;
  quietAt: Map<number, number>;
  /**
   * Terminals awake now that went quiet in epoch hour `h` and have since come back (a shop that
   * closed in the evening and opened this morning). Counted on first ask, one pass over the fleet
   * per hour asked (only silences without a day of the terminal's own history ask).
   */
  reopenedIn(h: number): number;
  /** Per third-party app (name@version): terminals listing it, the crashing ones, and the same per build. */
  apps: Map<string, AppStat>;
  /** Per build (model|firmware|payment app version, and model|firmware): terminals and crashing ones. */
  builds: Map<string, CrashStat>;
}

export interface CrashStat {
  terminals: number;
  crashing: number;
}

export interface AppStat extends CrashStat {
  builds: Map<string, CrashStat>;
}

export interface Climate {
  tempSum: number;
  tempN: number;
  humSum: number;
  humN: number;
}

export const SILENT_MS = 60 * 60_000;

/** Whether the terminal sent anything in epoch hour `h` (its activity ring; hours after its newest are silent). */
function activeIn(s: TerminalState, h: number): boolean {
  const newest = s.ringHour;
  if (h > newest || newest - h >= RING_HOURS) return false;
  return s.counters.hour(h % RING_HOURS) === 1;
}

/** Awake terminals (heard within SILENT_MS) active in hour `h` and silent the two hours after. */
function countReopened(members: readonly FleetMember[], nowMs: number, h: number): number {
  let n = 0;
  for (const { state: s } of members) {
    if (s.lastArrival <= 0 || nowMs - s.lastArrival > SILENT_MS) continue;
    if (activeIn(s, h) && !activeIn(s, h + 1) && !activeIn(s, h + 2)) n++;
  }
  return n;
}


function addClimate(map: Map<string, Climate>, region: string, s: TerminalState, now: number): void {
  const t = meanTemp(s.counters, now);
  const h = s.health?.humidity;
  if (t === undefined && h === undefined) return;
  let c = map.get(region);
  if (!c) map.set(region, (c = { tempSum: 0, tempN: 0, humSum: 0, humN: 0 }));
  if (t !== undefined) {
    c.tempSum += t;
    c.tempN++;
  }
  if (h !== undefined) {
    c.humSum += h;
    c.humN++;
  }
}

/** 'wifi' or 'cellular' (ethernet has no signal). */
export function bearerOf(netType: string): string {
  return netType === 'wifi' ? 'wifi' : 'cellular';
}

/** Crashes enough for a crash loop (the software detector's own floor). */
export function isCrashing(s: TerminalState, now: number): boolean {
  return s.counters.long(C.CRASH, now) + s.counters.long(C.BOOT_CRASH, now) * 0.5 >= 4;
}

/**
 * The terminal's builds, finest first: model|firmware|payment app version, then model|firmware
 * (a fleet may hold too few terminals of one exact build to compare with).
 */
export function buildsOf(model: string | undefined, s: TerminalState): [string, string] | undefined {
  const h = s.health;
  if (!h?.firmware || !h.app) return undefined;
  const coarse = `${model ?? ''}|${h.firmware}`;
  return [`${coarse}|${h.app}`, coarse];
}

function tally(map: Map<string, CrashStat>, key: string, crashing: boolean): void {
  let g = map.get(key);
  if (!g) map.set(key, (g = { terminals: 0, crashing: 0 }));
  g.terminals++;
  if (crashing) g.crashing++;
}

/** Counts the terminal under its build and each of its apps; `lists` caches split app lists (they are interned). */
function addApps(out: FleetBaseline, s: TerminalState, model: string | undefined, now: number, lists: Map<string, string[]>): void {
  const builds = buildsOf(model, s);
  const apps = s.health?.apps;
  if (builds === undefined && !apps) return;
  const crashing = isCrashing(s, now);
  if (builds !== undefined) for (const b of builds) tally(out.builds, b, crashing);
  if (!apps) return;
  let list = lists.get(apps);
  if (!list) lists.set(apps, (list = apps.split(',')));
  for (const app of list) {
    let a = out.apps.get(app);
    if (!a) out.apps.set(app, (a = { terminals: 0, crashing: 0, builds: new Map() }));
    a.terminals++;
    if (crashing) a.crashing++;
    if (builds !== undefined) for (const b of builds) tally(a.builds, b, crashing);
  }
}

export interface FleetMember {
  state: TerminalState;
  registry: RegistryTerminal | undefined;
}

function ratio(fail: number, ok: number): number {
  return fail + ok > 0 ? fail / (fail + ok) : 0;
}

function bump(map: Map<string, GroupStat>, key: string, silent: boolean): void {
  const g = map.get(key) ?? { terminals: 0, silent: 0 };
  g.terminals++;
  if (silent) g.silent++;
  map.set(key, g);
}

export function fleetBaseline(members: readonly FleetMember[], nowMs: number, observedFrom: number): FleetBaseline {
  const now = nowMs / 1000;
  const rf = [0, 0, 0, 0, 0, 0];
  const lat = new Map<string, { ls: number; ln: number; ss: number; sn: number; terminals: number }>();
  const sig = new Map<string, { s: number; n: number }>();
  const bearers = new Map<string, { s: number; ss: number; n: number }>();
  const reopened = new Map<number, number>();
  const reopenedIn = (h: number): number => {
    let n = reopened.get(h);
    if (n === undefined) reopened.set(h, (n = h + 2 < Math.floor(nowMs / 3_600_000) ? countReopened(members, nowMs, h) : 0));
    return n;
  };
  const out: FleetBaseline = {
    reads: rf, chipFailRate: 0, contactlessFailRate: 0, swipeFailRate: 0, hostLatency: new Map(), signal: new Map(), signalByBearer: new Map(),
    merchants: new Map(), climate: new Map(), bins91: new Map(), observedFrom, reporting: 0, quietAt: new Map(), reopenedIn,
    apps: new Map(), builds: new Map(),
  };
  const lists = new Map<string, string[]>();
  for (const { state: s, registry: r } of members) {
    const c = s.counters;
    rf[0]! += c.long(C.RF_CHIP, now);
    rf[1]! += c.long(C.TX_CHIP, now);
    rf[2]! += c.long(C.RF_CTLS, now);
    rf[3]! += c.long(C.TX_CTLS, now);
    rf[4]! += c.long(C.RF_SWIPE, now);
    rf[5]! += c.long(C.TX_SWIPE, now);
    const silent = nowMs - s.lastArrival > SILENT_MS;
    if (s.lastArrival > 0) out.reporting++;
    if (silent && s.lastArrival > 0) {
      const hour = Math.floor(s.lastArrival / 3_600_000);
      out.quietAt.set(hour, (out.quietAt.get(hour) ?? 0) + 1);
    }
    const host = r?.host ?? '';
    const l = lat.get(host) ?? { ls: 0, ln: 0, ss: 0, sn: 0, terminals: 0 };
    l.ls += c.long(C.LAT_SUM, now);
    l.ln += c.long(C.LAT_N, now);
    l.ss += c.short(C.LAT_SUM, now);
    l.sn += c.short(C.LAT_N, now);
    l.terminals++;
    lat.set(host, l);
    const key = `${r?.carrier ?? s.health?.carrier ?? ''}|${r?.region ?? ''}`;
    const cellular = s.health?.netType !== undefined && !['ethernet', 'wifi'].includes(s.health.netType);
    if (cellular) {
      const g = sig.get(key) ?? { s: 0, n: 0 };
      g.s += c.long(C.RSSI_SUM, now);
      g.n += c.long(C.RSSI_N, now);
      sig.set(key, g);
    }
    const rssiN = c.long(C.RSSI_N, now);
    if (rssiN >= 1 && s.health?.netType !== undefined) {
      const m = c.long(C.RSSI_SUM, now) / rssiN;
      const b = bearers.get(bearerOf(s.health.netType)) ?? { s: 0, ss: 0, n: 0 };
      b.s += m;
      b.ss += m * m;
      b.n++;
      bearers.set(bearerOf(s.health.netType), b);
    }
    if (r?.merchant) bump(out.merchants, r.merchant, silent);
    addClimate(out.climate, r?.region ?? '', s, now);
    if (s.bins91) for (const bin of s.bins91.keys()) out.bins91.set(bin, (out.bins91.get(bin) ?? 0) + 1);
    addApps(out, s, r?.model, now, lists);
  }
  out.chipFailRate = ratio(rf[0]!, rf[1]!);
  out.contactlessFailRate = ratio(rf[2]!, rf[3]!);
  out.swipeFailRate = ratio(rf[4]!, rf[5]!);
  for (const [host, l] of lat) {
    out.hostLatency.set(host, { long: l.ln > 0 ? l.ls / l.ln : 0, short: l.sn > 0 ? l.ss / l.sn : 0, terminals: l.terminals });
  }
  for (const [key, g] of sig) if (g.n > 0) out.signal.set(key, g.s / g.n);
  for (const [key, b] of bearers) {
    const mean = b.s / b.n;
    out.signalByBearer.set(key, { mean, sd: Math.sqrt(Math.max(0, b.ss / b.n - mean * mean)), terminals: b.n });
  }
  return out;
}
