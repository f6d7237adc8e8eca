// sw.incompatible_update: crashes right after one installed version, concentrated on one model
// (or campaign), while the rest of the fleet is fine. Only terminals that installed an update or
// crashed are tracked.

import type { Incident, PosEvent } from '../../domain/index.ts';
import { HOUR, iso, pct } from './buckets.ts';
import { intern } from '../intern.ts';
import type { FleetIndex } from './fleet.ts';

const GRACE = HOUR;
const MAX_CRASHES = 16;

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
  crashes: number[];
}

export interface UpdateSnapshot {
  groups: { model: string; component: string; to: string; installs: [terminal: string, ts: number, from: string | null, campaign: string | null][]; crashed: string[] }[];
  terminals: [terminal: string, installKey: string | null, installTs: number | null, crashes: number[]][];
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
    if (t.installKey !== undefined && e.tsMs > t.installTs) this.groups.get(t.installKey)?.crashed.add(e.terminal);
  }

  private terminal(terminal: string): TerminalUpdates {
    let t = this.terminals.get(terminal);
    if (!t) this.terminals.set(terminal, (t = { installKey: undefined, installTs: 0, crashes: [] }));
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
    }
    if (t.crashes.some((c) => c > ts)) group.crashed.add(terminal);
  }

  /** Whether the terminal is in trouble after its install: 2+ crashes since, not crashing before,
   * and still crashing within 3 hours of the last we heard of it (a shop that switched its crashing
   * terminal off for the night has not fixed it). */
  private troubled(terminal: string, key: string, now: number, lastSeen: LastSeen): boolean {
    const t = this.terminals.get(terminal);
    if (t?.installKey === undefined || t.installKey !== key) return false;
    const at = t.installTs;
    const after = t.crashes.filter((c) => c > at && c <= now);
    const before = t.crashes.filter((c) => c > at - 6 * HOUR && c <= at);
    const heard = Math.min(now, Math.max(lastSeen(terminal) ?? now, ...after));
    return after.length >= 2 && before.length < 2 && Math.max(...after) >= heard - 3 * HOUR;
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
    const terminals: UpdateSnapshot['terminals'] = [...this.terminals].map(([t, u]) => [t, u.installKey ?? null, u.installKey === undefined ? null : u.installTs, [...u.crashes]]);
    return { groups, terminals, crashing: [...this.crashing] };
  }

  restore(snap: UpdateSnapshot | undefined): void {
    for (const g of snap?.groups ?? []) {
      const installs = new Map(g.installs.map(([t, ts, from, campaign]): [string, Install] => [t, { ts, ...(from !== null && { from }), ...(campaign !== null && { campaign }) }]));
      this.groups.set(`${g.model}|${g.component}|${g.to}`, { model: g.model, component: g.component, to: g.to, installs, crashed: new Set(g.crashed) });
    }
    for (const [t, key, ts, crashes] of snap?.terminals ?? []) {
      const known = key !== null && ts !== null;
      this.terminals.set(t, { installKey: known ? key : undefined, installTs: known ? ts : 0, crashes: [...crashes] });
    }
    for (const t of snap?.crashing ?? []) this.crashing.add(t);
  }

  /** `lastSeen`: when the terminal was last heard from (undefined: unknown, taken as now). */
  incidents(now: number, lastSeen: LastSeen = () => undefined): Incident[] {
    const incidents: Incident[] = [];
    for (const [key, group] of this.groups) {
      if (group.crashed.size < 3) continue;
      const troubled = [...group.crashed].filter((t) => this.troubled(t, key, now, lastSeen));
      if (troubled.length < 3) continue;
      const settled = [...group.installs].filter(([t, i]) => i.ts <= now - GRACE || troubled.includes(t)).length;
      const rate = troubled.length / Math.max(settled, 1);
      const base = this.baseline(new Set(troubled), now);
      if (rate < 0.5 || rate < 5 * base) continue;
      const pending = [...group.installs].filter(([t, i]) => i.ts > now - GRACE && i.ts <= now && !troubled.includes(t)).map(([t]) => t);
      incidents.push(this.incident(group, [...troubled, ...pending], troubled.length, settled, base));
    }
    return incidents;
  }

  private incident(group: Group, members: string[], troubled: number, settled: number, base: number): Incident {
    const installs = members.map((t) => group.installs.get(t)).filter((i): i is Install => !!i);
    const campaign = mostCommon(installs.map((i) => i.campaign));
    const froms = [...new Set(installs.map((i) => i.from).filter((f): f is string => !!f))];
    const scope: Record<string, string> = { model: group.model, [group.component === 'app' ? 'app' : 'firmware']: group.to };
    if (campaign) scope.campaign = campaign;
    if (froms.length === 1) scope.from = froms[0]!;
    const since = Math.min(...installs.map((i) => i.ts));
    const what = `${group.component} ${froms.length === 1 ? `${froms[0]} → ` : ''}${group.to} on ${group.model}${campaign ? ` (campaign ${campaign})` : ''}`;
    const whatZh = `${group.model} 的${group.component === 'app' ? '应用' : '固件'}${froms.length === 1 ? ` ${froms[0]} →` : ''} ${group.to}${campaign ? `(升级活动 ${campaign})` : ''}`;
    return {
      id: `sw.incompatible_update:${group.model}:${group.component}:${group.to}`,
      cause: 'sw.incompatible_update',
      scope,
      terminals: [...members].sort(),
      since: iso(since),
      evidence: [
        `${troubled} of ${settled} terminals that installed ${what} crash repeatedly since (${pct(troubled / Math.max(settled, 1))}); the rest of the fleet ${pct(base)}`,
        `${members.length - troubled} terminals installed it within the last hour and are at risk`,
      ],
      evidence_zh: [
        `安装了${whatZh}的 ${settled} 台终端中 ${troubled} 台此后反复崩溃(${pct(troubled / Math.max(settled, 1))});其余终端为 ${pct(base)}`,
        `另有 ${members.length - troubled} 台在近一小时内安装,存在同样风险`,
      ],
    };
  }
}

function mostCommon(values: (string | undefined)[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = v;
  return best;
}
