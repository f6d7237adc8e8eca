// One simulated terminal: a small discrete-event loop (power, heartbeats, transactions, fault
// ticks, campaign installs) that writes event lines to a sink. The same object runs in file mode
// and in live mode, where it also obeys remote commands.
import { HOUR, MINUTE } from './clock.ts';
import { FAULT_EFFECTS, noEffects, type Effects } from './effects.ts';
import { Rng } from './random.ts';
import { isOpen, isPowered, nextOpen, nextPowerChange, hourlyFactor } from './schedule.ts';
import { fullHeartbeat, lightHeartbeat, netPrefix, stepBattery } from './terminal.heartbeat.ts';
import { oddTrouble, onFaultStart, onFaultEnd, periodicEvent } from './terminal.faults.ts';
import { transaction } from './terminal.txn.ts';
import { installStep } from './terminal.install.ts';
import { DailySales } from './terminal.limit.ts';
import { EventWriter, type Sink } from './terminal.events.ts';
import type { PlannedFault, PlannedInstall, TerminalProfile } from './types.ts';

export interface BinOutage {
  from: number;
  to: number;
  bins: ReadonlySet<string>;
  witnesses: ReadonlySet<string>;
}

export interface SimWorld {
  binOutages: BinOutage[];
  badVersions: { model: string; component: 'firmware' | 'app'; version: string; campaign: string }[];
}

const HEARTBEAT_MS = 300_000;

export class TerminalSim {
  readonly p: TerminalProfile;
  readonly rng: Rng;
  readonly world: SimWorld;
  readonly out: EventWriter;
  faults: PlannedFault[];
  installs: PlannedInstall[];
  installIdx = 0;
  installStage = 0;
  t: number;
  powered: boolean;
  bootAt: number;
  firmware: string;
  app: string;
  apps: string[];
  previous: { firmware: string; app: string } | undefined;
  battery: number;
  charging: boolean;
  batteryHealth: number;
  storageFree: number;
  memFree: number;
  /** Placement of the antenna: a fixed signal offset (dB). */
  placement: number;
  locked = false;
  /** System trace audit number of the last transaction. */
  stan: number;
  /** Faults cleared by a remote command (live mode). */
  readonly cleared = new Set<PlannedFault>();
  /** 91 answers of an issuer outage this terminal received, and when the first came. */
  issuerHits = 0;
  /**
   * The terminal has a fault of its own (not an incident's): its cardholders are kept away from
   * an issuer outage so that its truth stays its own cause (a terminal has one cause at a time).
   */
  readonly ownFault: boolean;
  issuerSince = 0;
  /** The approved amount per China day, on a terminal with a daily limit (acct.limit_exceeded). */
  readonly sales: DailySales | undefined;
  eff: Effects = noEffects();
  /** `"net":{"type":…,"carrier":…` of this terminal's heartbeats (constant). */
  readonly netPrefix: string;
  private active: PlannedFault[] = [];
  nextPower: number;
  nextHb: number;
  nextFull: number;
  nextTxn: number;
  nextTick = Infinity;
  nextBoundary = -Infinity;

  constructor(p: TerminalProfile, faults: PlannedFault[], installs: PlannedInstall[], world: SimWorld, start: number, sink: Sink) {
    this.p = p;
    this.rng = new Rng(p.seed);
    this.world = world;
    this.faults = faults;
    this.ownFault = faults.some((f) => f.incident === undefined && !f.transient);
    const limit = faults.find((f) => f.dailyLimit !== undefined)?.dailyLimit;
    this.sales = limit === undefined ? undefined : new DailySales(p, limit, start);
    this.installs = installs.map((i) => ({ ...i })).sort((a, b) => a.at - b.at);
    this.out = new EventWriter(p, this.rng, sink);
    this.netPrefix = netPrefix(p);
    this.t = start;
    this.firmware = p.firmware;
    this.app = p.app;
    this.apps = [...p.apps];
    this.battery = this.rng.int(40, 100);
    this.charging = this.rng.chance(0.7);
    this.batteryHealth = this.rng.int(62, 99);
    this.storageFree = this.rng.int(600, 6000);
    this.memFree = this.rng.int(250, 1300);
    this.placement = this.rng.normal(0, 6);
    this.stan = p.seed % 900_000;
    this.powered = isPowered(p, start);
    this.bootAt = this.powered ? start - this.rng.range(HOUR, 20 * 24 * HOUR) : start;
    this.nextPower = nextPowerChange(p, start);
    this.nextHb = this.powered ? start + this.rng.range(0, HEARTBEAT_MS) : Infinity;
    this.nextFull = this.powered ? start + this.rng.range(0, HOUR) : Infinity;
    this.nextTxn = this.powered ? this.txnAfter(start) : Infinity;
    this.refreshEffects(start);
  }

  /** The first refusal over the daily limit of the latest day with one (0: none, or no limit). */
  get limitRefusedAt(): number {
    return this.sales?.firstRefusal ?? 0;
  }

  /** Runs the terminal up to (not including) `until`. */
  advance(until: number): void {
    for (;;) {
      const t = Math.min(this.nextBoundary, this.nextPower, this.nextHb, this.nextTxn, this.nextTick, this.installAt());
      if (t >= until) break;
      this.t = t;
      if (t === this.nextBoundary) this.refreshEffects(t);
      else if (t === this.nextPower) this.powerChange(t);
      else if (t === this.nextHb) this.heartbeat(t);
      else if (t === this.nextTxn) this.txn(t);
      else if (t === this.nextTick) this.tick(t);
      else installStep(this, t);
    }
    this.t = until;
  }

  installAt(): number {
    const i = this.installs[this.installIdx];
    return i ? Math.max(i.at, this.t) : Infinity;
  }

  /** Recomputes the effects of the faults active at t, running start/end actions. */
  refreshEffects(t: number): void {
    const e = noEffects();
    const now: PlannedFault[] = [];
    let until = Infinity;
    for (const f of this.faults) {
      if (this.cleared.has(f)) continue;
      if (f.from <= t && (f.to === undefined || t < f.to)) {
        now.push(f);
        FAULT_EFFECTS[f.cause](e, f.magnitude === 'obvious', f);
        if (f.to !== undefined) until = Math.min(until, f.to);
      } else if (f.from > t) until = Math.min(until, f.from);
    }
    const before = this.active;
    const wasDisconnected = this.eff.disconnected;
    this.eff = e;
    this.active = now;
    this.nextBoundary = until;
    this.nextTick = e.every > 0 ? Math.min(this.nextTick, t + this.rng.exp(e.every * MINUTE)) : Infinity;
    for (const f of now) if (!before.includes(f)) onFaultStart(this, f, t);
    for (const f of before) if (!now.includes(f)) onFaultEnd(this, f, t);
    if (wasDisconnected && !e.disconnected) this.out.release(t);
    this.out.holding = e.disconnected;
  }

  boot(t: number, reason: string): void {
    this.bootAt = t;
    this.out.emit(t, 'boot', `,"reason":"${reason}"`, this.eff);
    this.nextFull = t;
    this.nextHb = Math.min(this.nextHb, t + this.rng.range(20_000, 60_000));
  }

  private powerChange(t: number): void {
    this.powered = isPowered(this.p, t + 1);
    this.nextPower = nextPowerChange(this.p, t);
    if (!this.powered) {
      this.nextHb = this.nextTxn = this.nextFull = Infinity;
      return;
    }
    this.nextHb = t;
    this.nextTxn = this.txnAfter(t);
    if (!this.eff.dead) this.boot(t, 'power_on');
  }

  private heartbeat(t: number): void {
    this.nextHb = t + HEARTBEAT_MS + this.rng.range(-3000, 3000);
    if (this.eff.dead) return;
    stepBattery(this, t);
    if (this.eff.disconnected || this.rng.chance(0.003 + this.eff.hbDrop)) return;
    if (this.rng.chance(0.0008)) oddTrouble(this, t);
    if (t >= this.nextFull) {
      this.nextFull = t + HOUR + this.rng.range(-60_000, 60_000);
      fullHeartbeat(this, t);
    } else lightHeartbeat(this, t);
  }

  /** When the next transaction comes after t: a Poisson process following the shop's hours. */
  txnAfter(t: number): number {
    let at = t + this.rng.exp(HOUR / Math.max(0.05, this.p.rate * hourlyFactor(t)));
    if (!isOpen(this.p, at)) at = nextOpen(this.p, at) + this.rng.exp(HOUR / Math.max(0.5, this.p.rate));
    return at;
  }

  private txn(t: number): void {
    this.nextTxn = this.txnAfter(t);
    if (!this.powered || this.eff.dead || this.locked || this.eff.noTxn) return;
    if (this.eff.disconnected) {
      if (this.rng.chance(0.5)) this.out.error(t, 'NET_CONNECT_FAIL', 'connect to payment host failed: network unreachable', this.eff, this.rng.pick(this.p.operators));
      return;
    }
    transaction(this, t);
  }

  private tick(t: number): void {
    this.nextTick = this.eff.every > 0 ? t + this.rng.exp(this.eff.every * MINUTE) : Infinity;
    if (!this.powered || this.eff.dead) return;
    periodicEvent(this, t, this.rng.pick(this.eff.periodic));
  }
}
