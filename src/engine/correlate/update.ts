// sw.incompatible_update: crashes right after one installed version, concentrated on one model
// (or campaign), while the rest of the fleet is fine. Only terminals that installed an update or
// crashed are tracked.
//
// Two rules. Repeated crashes: 3+ terminals crash repeatedly since installing, half of those that
// installed it an hour ago or more. First crashes, which holds sooner: 2+ terminals crash since
// installing (once is enough) after 6 crash-free hours before it, at least half of such installs,
// and that many is no coincidence given how often the rest of the fleet crashes.

import type { Incident, PosEvent } from '../../domain/index.ts';
import { HOUR, iso, pct } from './buckets.ts';
import { intern } from '../intern.ts';
import type { FleetIndex } from './fleet.ts';
import { MAX_COINCIDENCE } from './outage.chance.ts';
import { poissonTail } from '../stats.ts';

const GRACE = HOUR;
const MAX_CRASHES = 16;
/** Crash-free this long before the install: the crashes after it started with it. */
const CLEAN_BEFORE = 6 * HOUR;
/** The window the rest of the fleet's crashing is counted over. */
const FLEET_WINDOW = 6 * HOUR;

interface Install {
  ts: number;
  from?: string;
  campaign?: string;
}

interface Group {
  model: string;
  component: string;
  to: string;
  installs: Map<string, Install>;
  /** Terminals that crashed after installing (checked again at evaluation). */
  crashed: Set<string>;
}

/** One object per tracked terminal, every field in it (the install's key and time are not an object of their own). */
interface TerminalUpdates {
  /** The latest install's group key (undefined: none) and time. */
  installKey: string | undefined;
  installTs: number;
  /** The first crash after the latest install (0: none yet): `crashes` keeps the last MAX_CRASHES only. */
  firstCrashAfter: number;
  crashes: number[];
}

export interface UpdateSnapshot {
  groups: { model: string; component: string; to: string; installs: [terminal: string, ts: number, from: string | null, campaign: string | null][]; crashed: string[] }[];
  terminals: [terminal: string, installKey: string | null, installTs: number | null, crashes: number[], firstCrashAfter?: number][];
  crashing: string[];
}

export type LastSeen = (terminal: string) => number | undefined;

function isCrash(e: PosEvent): boolean {
  if (e.type === 'error') return e.code === 'APP_CRASH' || e.code === 'APP_ANR';
  return e.type === 'boot' && (e.reason === 'crash' || e.reason === 'watchdog');
}

export class UpdateTracker {
  private readonly groups = new Map<string, Group>();
  private readonly terminals = new Map<string, TerminalUpdates>();
  /** Terminals with crashes, for the fleet baseline. */
  private readonly crashing = new Set<string>();

  constructor(private readonly fleet: FleetIndex) {}

  observe(e: PosEvent): void {
    if (e.type === 'update' && e.status === 'installed' && e.to) return this.installed(e.terminal, e.tsMs, e.component ?? 'firmware', e.to, e);
    if (!isCrash(e)) return;
    const t = this.terminal(e.terminal);
    t.crashes = [...t.crashes, e.tsMs]; // exact size: push() on an empty list reserves 17 slots
    this.crashing.add(e.terminal);
    if (t.crashes.length > MAX_CRASHES) t.crashes = t.crashes.sort((a, b) => a - b).slice(1);
    if (t.installKey !== undefined && e.tsMs > t.installTs) {
      this.groups.get(t.installKey)?.crashed.add(e.terminal);
      if (t.firstCrashAfter === 0 || e.tsMs < t.firstCrashAfter) t.firstCrashAfter = e.tsMs;
    }
  }

  private terminal(terminal: string): TerminalUpdates {
    let t = this.terminals.get(terminal);
    if (!t) this.terminals.set(terminal, (t = { installKey: undefined, installTs: 0, firstCrashAfter: 0, crashes: [] }));
    return t;
  }

  private installed(terminal: string, ts: number, component: string, to: string, e: { from?: string; campaign?: string }): void {
    const model = this.fleet.get(terminal)?.model ?? 'unknown';
    const key = `${model}|${component}|${to}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { model, component, to, installs: new Map(), crashed: new Set() }));
    // interned: an event's own strings would be kept once per terminal
    group.installs.set(terminal, { ts, from: e.from === undefined ? undefined : intern(e.from), campaign: e.campaign === undefined ? undefined : intern(e.campaign) });
    const t = this.terminal(terminal);
    if (t.installKey === undefined || ts >= t.installTs) {
      t.installKey = key;
      t.installTs = ts;
      t.firstCrashAfter = firstAfter(t.crashes, ts);
    }
    if (t.crashes.some((c) => c > ts)) group.crashed.add(terminal);
  }

  /** Whether the terminal is in trouble after its install: 2+ crashes since, not crashing before,
   * and still crashing. */
  private troubled(terminal: string, key: string, now: number, lastSeen: LastSeen): boolean {
    const t = this.terminals.get(terminal);
    if (t?.installKey === undefined || t.installKey !== key) return false;
    const at = t.installTs;
    const after = t.crashes.filter((c) => c > at && c <= now);
    const before = t.crashes.filter((c) => c > at - CLEAN_BEFORE && c <= at);
    return after.length >= 2 && before.length < 2 && stillCrashing(after, lastSeen(terminal), now);
  }

  /**
   * The first-crashes rule's evidence: the group's clean installs (no crash in the CLEAN_BEFORE
   * before), those of them that crashed since and still crash, and the chance of that many by
   * coincidence (1 when fewer than two, or than half the clean installs, crashed). Under "the
   * version is fine" a clean terminal crashes for the first time at the rate of the rest of the
   * fleet (its terminals with a crash in FLEET_WINDOW per awake terminal-hour, chronic crashers
   * included, so the rate is if anything too high); each install was watched from the install to
   * its first crash (or now), and the first crashes in that time are Poisson. Old installs bring
   * long watches: a version that ran fine for days is not blamed for new crashes.
   */
  private firstCrashes(group: Group, key: string, now: number, lastSeen: LastSeen): { struck: string[]; installs: number; chance: number } {
    const struck: string[] = [];
    let installs = 0;
    let watched = 0;
    for (const [t, i] of group.installs) {
      const u = this.terminals.get(t);
      if (i.ts > now || (u !== undefined && u.installKey !== key)) continue;
      const at = i.ts;
      if (u?.crashes.some((c) => c > at - CLEAN_BEFORE && c <= at)) continue;
      const after = (u?.crashes ?? []).filter((c) => c > at && c <= now);
      const first = u !== undefined && u.firstCrashAfter > 0 && u.firstCrashAfter <= now ? u.firstCrashAfter : undefined;
      installs++;
      watched += (first ?? now) - at;
      if (first !== undefined && after.length > 0 && stillCrashing(after, lastSeen(t), now)) struck.push(t);
    }
    // two at least, and half the clean installs: a version most terminals run fine is not blamed
    if (struck.length < 2 || struck.length < installs / 2) return { struck, installs, chance: 1 };
    const others = new Set(group.installs.keys());
    let crashingElsewhere = 0;
    for (const t of this.crashing) {
      if (!others.has(t) && this.terminals.get(t)?.crashes.some((c) => c > now - FLEET_WINDOW && c <= now)) crashingElsewhere++;
    }
    const perHour = (crashingElsewhere + 1) / (Math.max(this.awake(others, now, lastSeen), crashingElsewhere, 1) * (FLEET_WINDOW / HOUR));
    return { struck, installs, chance: poissonTail(struck.length, (perHour * watched) / HOUR) };
  }

  /**
   * Registry terminals heard from within FLEET_WINDOW, `except` left out: at night most shops are
   * switched off, and the whole registry would make the fleet's crash rate look lower than it is.
   * Terminals with no host in the registry are not counted (the rate comes out higher, the check stricter).
   */
  private awake(except: Set<string>, now: number, lastSeen: LastSeen): number {
    let n = 0;
    for (const host of this.fleet.hosts()) {
      for (const t of this.fleet.terminalsOfHost(host)) {
        const seen = lastSeen(t);
        if (!except.has(t) && seen !== undefined && seen > now - FLEET_WINDOW) n++;
      }
    }
    return n;
  }

  /** Share of the rest of the fleet crashing repeatedly in the last 6 hours. */
  private baseline(exclude: Set<string>, now: number): number {
    let k = 0;
    for (const terminal of this.crashing) {
      const t = this.terminals.get(terminal);
      if (t && !exclude.has(terminal) && t.crashes.filter((c) => c > now - 6 * HOUR && c <= now).length >= 2) k++;
    }
    return k / Math.max(this.fleet.size, 1);
  }

  /** Forgets crashes before `before` from the baseline set. */
  prune(before: number): void {
    for (const terminal of this.crashing) {
      if ((this.terminals.get(terminal)?.crashes ?? []).every((c) => c < before)) this.crashing.delete(terminal);
    }
  }

  snapshot(): UpdateSnapshot {
    const groups: UpdateSnapshot['groups'] = [...this.groups.values()].map((g) => ({
      model: g.model, component: g.component, to: g.to,
      installs: [...g.installs].map(([t, i]) => [t, i.ts, i.from ?? null, i.campaign ?? null]),
      crashed: [...g.crashed],
    }));
    const terminals: UpdateSnapshot['terminals'] = [...this.terminals].map(([t, u]) => [t, u.installKey ?? null, u.installKey === undefined ? null : u.installTs, [...u.crashes], u.firstCrashAfter]);
    return { groups, terminals, crashing: [...this.crashing] };
  }

  restore(snap: UpdateSnapshot | undefined): void {
    for (const g of snap?.groups ?? []) {
      const installs = new Map(g.installs.map(([t, ts, from, campaign]): [string, Install] => [t, { ts, ...(from !== null && { from }), ...(campaign !== null && { campaign }) }]));
      this.groups.set(`${g.model}|${g.component}|${g.to}`, { model: g.model, component: g.component, to: g.to, installs, crashed: new Set(g.crashed) });
    }
    for (const [t, key, ts, crashes, first] of snap?.terminals ?? []) {
      const known = key !== null && ts !== null;
      // snapshots from before firstCrashAfter: the earliest crash kept
      const firstCrashAfter = first ?? (known ? firstAfter(crashes, ts) : 0);
      this.terminals.set(t, { installKey: known ? key : undefined, installTs: known ? ts : 0, firstCrashAfter, crashes: [...crashes] });
    }
    for (const t of snap?.crashing ?? []) this.crashing.add(t);
  }

  /** `lastSeen`: when the terminal was last heard from (undefined: unknown; taken as now for a
   * crashing member, as not heard for the fleet's crash rate, so without it the first-crashes rule stays silent). */
  incidents(now: number, lastSeen: LastSeen = () => undefined): Incident[] {
    const incidents: Incident[] = [];
    for (const [key, group] of this.groups) {
      if (group.crashed.size < 2) continue;
      const troubled = [...group.crashed].filter((t) => this.troubled(t, key, now, lastSeen));
      const settled = [...group.installs].filter(([t, i]) => i.ts <= now - GRACE || troubled.includes(t)).length;
      const rate = troubled.length / Math.max(settled, 1);
      const base = this.baseline(new Set(troubled), now);
      const pending = (crashed: string[]) => [...group.installs].filter(([t, i]) => i.ts > now - GRACE && i.ts <= now && !crashed.includes(t)).map(([t]) => t);
      if (troubled.length >= 3 && rate >= 0.5 && rate >= 5 * base) {
        incidents.push(this.incident(group, troubled, pending(troubled), (what, whatZh) => [
          `${troubled.length} of ${settled} terminals that installed ${what} crash repeatedly since (${pct(rate)}); the rest of the fleet ${pct(base)}`,
          `安装了${whatZh}的 ${settled} 台终端中 ${troubled.length} 台此后反复崩溃(${pct(rate)});其余终端为 ${pct(base)}`,
        ]));
        continue;
      }
      // sooner: first crashes right after the install on clean terminals, too many for a coincidence
      const e = this.firstCrashes(group, key, now, lastSeen);
      if (e.chance > MAX_COINCIDENCE) continue;
      const crashed = [...new Set([...troubled, ...e.struck])];
      incidents.push(this.incident(group, crashed, pending(crashed), (what, whatZh) => [
        `${e.struck.length} of the ${e.installs} terminals that installed ${what}, crash-free for ${CLEAN_BEFORE / HOUR} hours before, have crashed since: chance of a coincidence ${e.chance.toExponential(1)} at the rest of the fleet's crash rate`,
        `安装了${whatZh}、此前 ${CLEAN_BEFORE / HOUR} 小时无崩溃的 ${e.installs} 台终端中 ${e.struck.length} 台此后崩溃:按其余终端的崩溃率,巧合概率 ${e.chance.toExponential(1)}`,
      ]));
    }
    return incidents;
  }

  /** The incident of `group`: the `crashed` terminals and those `atRisk` (installed within the last hour); `why` says what was measured, given the version's name. */
  private incident(group: Group, crashed: string[], atRisk: string[], why: (what: string, whatZh: string) => [en: string, zh: string]): Incident {
    const members = [...crashed, ...atRisk];
    const installs = members.map((t) => group.installs.get(t)).filter((i): i is Install => !!i);
    const campaign = mostCommon(installs.map((i) => i.campaign));
    const froms = [...new Set(installs.map((i) => i.from).filter((f): f is string => !!f))];
    const scope: Record<string, string> = { model: group.model, [group.component === 'app' ? 'app' : 'firmware']: group.to };
    if (campaign) scope.campaign = campaign;
    if (froms.length === 1) scope.from = froms[0]!;
    const since = Math.min(...installs.map((i) => i.ts));
    const what = `${group.component} ${froms.length === 1 ? `${froms[0]} → ` : ''}${group.to} on ${group.model}${campaign ? ` (campaign ${campaign})` : ''}`;
    const whatZh = `${group.model} 的${group.component === 'app' ? '应用' : '固件'}${froms.length === 1 ? ` ${froms[0]} →` : ''} ${group.to}${campaign ? `(升级活动 ${campaign})` : ''}`;
    const [measured, measuredZh] = why(what, whatZh);
    return {
      id: `sw.incompatible_update:${group.model}:${group.component}:${group.to}`,
      cause: 'sw.incompatible_update',
      scope,
      terminals: [...members].sort(),
      since: iso(since),
      evidence: [measured, `${atRisk.length} terminals installed it within the last hour and are at risk`],
      evidence_zh: [measuredZh, `另有 ${atRisk.length} 台在近一小时内安装,存在同样风险`],
    };
  }
}

/** The earliest of `crashes` after `ts` (0: none). */
function firstAfter(crashes: readonly number[], ts: number): number {
  let first = 0;
  for (const c of crashes) if (c > ts && (first === 0 || c < first)) first = c;
  return first;
}

/** Whether a terminal's crashes since its install go on: the last within 3 hours of the last we
 * heard of it (a shop that switched its crashing terminal off for the night has not fixed it). */
function stillCrashing(after: readonly number[], lastSeen: number | undefined, now: number): boolean {
  const heard = Math.min(now, Math.max(lastSeen ?? now, ...after));
  return Math.max(...after) >= heard - 3 * HOUR;
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = v;
  return best;
}
