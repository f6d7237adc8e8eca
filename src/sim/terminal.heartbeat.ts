// Heartbeats: light ones every 300 s, full ones (versions, apps, self-tests, storage) hourly and
// on boot or inventory change. Signal, latency, battery and temperature vary with noise.
import { localMinute } from './clock.ts';
import type { TerminalSim } from './terminal.ts';

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Load on networks and hosts by local time (10-minute steps): busier at lunch and in the evening. */
const LOAD = Array.from({ length: 144 }, (_, i) => {
  const h = i / 6;
  return 1 + 0.25 * Math.exp(-((h - 12.5) ** 2) / 2) + 0.3 * Math.exp(-((h - 19) ** 2) / 3);
});

export function loadFactor(t: number): number {
  return LOAD[Math.floor(localMinute(t) / 10)]!;
}

export function rssi(sim: TerminalSim, t: number): number | undefined {
  const p = sim.p;
  if (p.bearer === 'ethernet') return undefined;
  const base = p.bearer === '4g' ? p.carrier.rssi + p.region.signal : -60;
  const evening = p.bearer === '4g' ? -3 * (loadFactor(t) - 1) : 0;
  return Math.max(-125, Math.min(-40, Math.round(base + sim.placement + evening + sim.rng.normal(0, 3.5) + sim.eff.rssiDelta)));
}

export function bearerLatency(sim: TerminalSim): number {
  const p = sim.p;
  return p.bearer === '4g' ? p.carrier.latency : p.bearer === 'wifi' ? 25 : 10;
}

function hostRtt(sim: TerminalSim, t: number): number | undefined {
  if (!Number.isFinite(sim.eff.rttMult)) return undefined;
  const base = (sim.p.host.rtt + bearerLatency(sim)) * loadFactor(t) * sim.eff.rttMult;
  return Math.max(5, Math.round(base * (0.75 + sim.rng.next() * 0.5) + sim.rng.exp(8)));
}

/** The constant start of a terminal's `net` object. */
export function netPrefix(p: TerminalSim['p']): string {
  return `"net":{"type":"${p.bearer}"` + (p.bearer === '4g' ? `,"carrier":"${p.carrier.name}"` : '');
}

function netJson(sim: TerminalSim, t: number, full: boolean): string {
  let s = sim.netPrefix;
  const r = rssi(sim, t);
  if (r !== undefined) s += `,"rssi_dbm":${r}`;
  const rtt = hostRtt(sim, t);
  if (rtt !== undefined) s += `,"host_rtt_ms":${rtt}`;
  if (full || sim.eff.dnsFail) s += `,"dns_ok":${!sim.eff.dnsFail}`;
  return s + '}';
}

function temperature(sim: TerminalSim, t: number): number {
  const r = sim.p.region;
  const h = localMinute(t) / 60;
  const outdoor = r.temp + r.swing * Math.cos(((h - 14.5) / 24) * 2 * Math.PI);
  const indoor = 21 + (outdoor - 21) * 0.3;
  return round1(indoor + 10 + (sim.p.model.handheld ? 1.5 : 0) + sim.rng.normal(0, 0.8) + sim.eff.tempDelta);
}

function envJson(sim: TerminalSim, t: number, full: boolean): string {
  let s = `"env":{"temp_c":${temperature(sim, t)}`;
  if (sim.p.model.humiditySensor && (full || sim.eff.humidity !== undefined)) {
    const hum = sim.eff.humidity ?? sim.p.region.humidity + sim.rng.normal(-12, 5);
    s += `,"humidity_pct":${Math.max(5, Math.min(100, Math.round(hum)))}`;
  }
  return s + '}';
}

function batteryJson(sim: TerminalSim, full: boolean): string {
  if (!sim.p.model.handheld) return '';
  const health = full ? `,"health_pct":${sim.eff.batteryHealth ?? sim.batteryHealth}` : '';
  return `,"battery":{"level_pct":${Math.round(sim.battery)},"charging":${sim.charging}${health}}`;
}

/** Five minutes of battery life: charging on the base, draining in the hand, worn batteries faster. */
export function stepBattery(sim: TerminalSim, t: number): void {
  if (!sim.p.model.handheld) return;
  const r = sim.rng;
  if (sim.charging) {
    sim.battery = Math.min(100, sim.battery + r.range(2, 5) * ((sim.eff.batteryHealth ?? sim.batteryHealth) / 100));
    if (sim.battery >= 95 && r.chance(0.12)) sim.charging = false;
    return;
  }
  const health = sim.eff.batteryHealth ?? sim.batteryHealth;
  sim.battery -= r.range(0.4, 1.3) * sim.eff.batteryDrain * (90 / Math.max(20, health));
  if (sim.battery < 25 && r.chance(0.5)) sim.charging = true;
  if (sim.battery <= 0) {
    sim.battery = 3;
    sim.charging = true;
    sim.boot(t + r.range(60_000, 300_000), 'low_battery');
  }
}

function uptime(sim: TerminalSim, t: number): number {
  return Math.max(0, Math.floor((t - sim.bootAt) / 1000));
}

export function lightHeartbeat(sim: TerminalSim, t: number): void {
  const e = sim.eff;
  const tamper = e.tamper ? ',"tamper":true' : '';
  sim.out.emit(t, 'heartbeat', `,${netJson(sim, t, false)}${batteryJson(sim, false)},${envJson(sim, t, false)},"printer":"${e.printer}"${tamper},"uptime_s":${uptime(sim, t)}`, e);
}

export function fullHeartbeat(sim: TerminalSim, t: number): void {
  const e = sim.eff;
  const p = sim.p;
  const storage = e.storageFree ?? Math.max(50, Math.round(sim.storageFree + sim.rng.normal(0, 30)));
  const mem = Math.max(30, Math.round(sim.memFree + sim.rng.normal(0, 60)));
  const fw = e.oldVersions ? p.model.firmware[0]! : sim.firmware;
  const app = e.oldVersions ? p.model.app[0]! : sim.app;
  const apps = p.model.android ? `,"apps":[${sim.apps.map((a) => `"${a}"`).join(',')}]` : '';
  sim.out.emit(t, 'heartbeat',
    `,${netJson(sim, t, true)}${batteryJson(sim, true)},${envJson(sim, t, true)},"printer":"${e.printer}","mem_free_mb":${mem},"storage_free_mb":${storage}` +
    `,"versions":{"firmware":"${fw}","app":"${app}"}${apps},"reader":{"chip":"${e.chip}","contactless":"${e.contactless}","magstripe":"${e.magstripe}"}` +
    `,"screen":"${e.screen}","keypad":"${e.keypad}","tamper":${e.tamper},"uptime_s":${uptime(sim, t)}`, e);
}
