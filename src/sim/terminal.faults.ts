// What a terminal does when a fault starts or ends (reports from people, inventory changes,
// tamper alarms) and the events a fault keeps producing while it lasts (crashes, storage full…).
import type { CauseCode } from '../domain/index.ts';
import { MINUTE } from './clock.ts';
import type { Periodic } from './effects.ts';
import { fullHeartbeat } from './terminal.heartbeat.ts';
import type { TerminalSim } from './terminal.ts';
import type { PlannedFault } from './types.ts';
import { CONFLICTING_APPS } from './world.ts';
import { bumpVersion } from './plan.incidents.ts';

/** Reports people make about a fault: [symptom, text, probability for an obvious fault]. */
const REPORTS: Partial<Record<CauseCode, [string, string, number]>> = {
  'hw.power': ['wont_power_on', '机器开不了机，插电也没反应', 1],
  'hw.screen': ['screen_blank', '屏幕黑屏，但是有提示音', 0.8],
  'hw.keypad': ['keys_unresponsive', '数字键失灵', 0.7],
  'hw.contactless_reader': ['card_not_read', '挥卡没反应', 0.4],
  'hw.chip_reader': ['card_not_read', '插卡读不出来', 0.3],
  'hw.printer': ['cannot_print', '小票打不出来', 0.4],
  'acct.merchant_setup': ['declined', '所有卡都交易失败', 0.4],
  'net.offline': ['no_network', '机器显示没有网络', 0.3],
  'contract.expired': ['no_network', '机器连不上网了', 0.3],
  'net.carrier_outage': ['no_network', '刷卡一直提示网络连接失败', 0.12],
  'net.host_slow': ['slow', '交易特别慢，要等很久', 0.08],
};

const CRASH_MESSAGES = [
  'java.lang.NullPointerException at TransProcess.onCardDetected',
  'java.lang.IllegalStateException: EMV kernel not initialised',
  'native crash: SIGSEGV in libemv.so',
];

export function conflictingApp(sim: TerminalSim): string {
  return CONFLICTING_APPS[sim.p.seed % CONFLICTING_APPS.length]!;
}

export function onFaultStart(sim: TerminalSim, f: PlannedFault, t: number): void {
  const report = REPORTS[f.cause];
  if (report && sim.rng.chance(f.magnitude === 'obvious' ? report[2] : report[2] / 3)) {
    sim.out.report(t + sim.rng.range(15, 120) * MINUTE, report[0], report[1], sim.rng.pick(['phone', 'wizard', 'field']));
  }
  // The conflicting app is installed when the fault starts, even on a terminal switched off then:
  // the full heartbeat of its next boot lists it before the crashes it causes.
  if (f.cause === 'sw.app_conflict' && !sim.apps.includes(conflictingApp(sim))) sim.apps = [...sim.apps, conflictingApp(sim)].sort();
  if (!sim.powered || sim.eff.dead) return;
  switch (f.cause) {
    case 'sec.tamper':
      sim.out.error(t, 'TAMPER_DETECTED', 'tamper switch triggered, keys erased', sim.eff);
      fullHeartbeat(sim, t + 2000);
      break;
    case 'sw.app_conflict':
      fullHeartbeat(sim, t);
      sim.nextTick = t + sim.rng.range(3, 15) * MINUTE;
      break;
    case 'sw.key_error':
      sim.boot(t, sim.rng.pick(['user', 'remote']));
      break;
    case 'sw.clock_skew':
      sim.boot(t, 'power_on');
      break;
    case 'sw.crash_loop':
    case 'sw.incompatible_update':
      sim.nextTick = t + sim.rng.range(1, 5) * MINUTE;
      break;
    case 'sw.update_failed':
      sim.nextTick = t;
      break;
    case 'net.config':
    case 'sw.storage_full':
    case 'hw.battery':
      fullHeartbeat(sim, t);
      break;
  }
}

export function onFaultEnd(sim: TerminalSim, f: PlannedFault, t: number): void {
  if (!sim.powered || sim.eff.dead || sim.eff.disconnected) return;
  if (f.cause === 'hw.printer_paper' || f.cause === 'hw.printer' || f.cause === 'net.config') fullHeartbeat(sim, t);
}

function crash(sim: TerminalSim, t: number, anr: boolean): void {
  const app = `${sim.p.model.appName}@${sim.app}`;
  const conflict = sim.eff.periodic.length === 1 && sim.apps.includes(conflictingApp(sim));
  const msg = conflict ? `java.lang.SecurityException: overlay window from ${conflictingApp(sim).split('@')[0]}` : sim.rng.pick(CRASH_MESSAGES);
  if (anr) {
    sim.out.emit(t, 'error', `,"code":"APP_ANR","app":"${app}","message":"input dispatching timed out"`, sim.eff);
    return;
  }
  sim.out.emit(t, 'error', `,"code":"APP_CRASH","app":"${app}","message":"${msg}"`, sim.eff);
  if (sim.rng.chance(0.55)) sim.boot(t + sim.rng.range(5000, 30_000), sim.rng.chance(0.7) ? 'crash' : 'watchdog');
}

function updateRetry(sim: TerminalSim, t: number): void {
  const to = bumpVersion(sim.app);
  const campaign = 'CMP-APP-01';
  const body = `,"component":"app","from":"${sim.app}","to":"${to}"`;
  sim.out.emit(t, 'update', `${body},"status":"downloading","campaign":"${campaign}"`, sim.eff);
  const reason = sim.rng.pick(['signature verification failed', 'insufficient storage for package', 'package checksum mismatch']);
  sim.out.emit(t + sim.rng.range(3, 12) * MINUTE, 'update', `${body},"status":"failed","reason":"${reason}","campaign":"${campaign}"`, sim.eff);
}

export function periodicEvent(sim: TerminalSim, t: number, kind: Periodic): void {
  const e = sim.eff;
  const op = sim.rng.pick(sim.p.operators);
  switch (kind) {
    case 'crash': return crash(sim, t, false);
    case 'anr': return crash(sim, t, true);
    case 'storage': return sim.out.error(t, 'STORAGE_FULL', 'no space left on device (/data)', e);
    case 'clock': return sim.out.error(t, sim.rng.chance(0.5) ? 'CLOCK_ERROR' : 'TLS_FAIL', 'certificate not yet valid: system time is wrong', e);
    case 'netfail': return sim.out.error(t, 'NET_CONNECT_FAIL', 'connect to host timed out', e, op);
    case 'dns': return sim.out.error(t, 'DNS_FAIL', 'unable to resolve payment host', e);
    case 'overheat_reboot': return sim.boot(t, 'watchdog');
    case 'update_retry': return updateRetry(sim, t);
    case 'pin': return sim.out.error(t, 'PIN_TIMEOUT', 'PIN entry timed out', e, op);
    case 'key': return sim.out.error(t, 'KEY_ERROR', 'MAC calculation failed: TAK missing', e, op);
  }
}

/** Normal life: now and then a healthy terminal crashes once or is restarted by the cashier. */
export function oddTrouble(sim: TerminalSim, t: number): void {
  if (sim.rng.chance(0.5)) {
    sim.out.emit(t, 'error', `,"code":"APP_CRASH","app":"${sim.p.model.appName}@${sim.app}","message":"${sim.rng.pick(CRASH_MESSAGES)}"`, sim.eff);
    sim.boot(t + sim.rng.range(5000, 30_000), 'crash');
  } else sim.boot(t, 'user');
}
