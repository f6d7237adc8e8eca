// What each cause does to a terminal while it is active: one small function per cause code that
// changes the terminal's current effects. The terminal simulator reads only the effects.
import type { CauseCode, PrinterState, SelfTest } from '../domain/index.ts';
import type { PlannedFault } from './types.ts';

/** Things that happen every so often while a fault is active. */
export type Periodic = 'crash' | 'anr' | 'storage' | 'clock' | 'netfail' | 'dns' | 'overheat_reboot' | 'update_retry' | 'pin' | 'key';

export interface Effects {
  /** No events at all (no power). */
  dead: boolean;
  /** Events are stored and sent after reconnecting; heartbeats are lost. */
  disconnected: boolean;
  /** The terminal cannot take card or QR payments (screen dead, tamper lock). */
  noTxn: boolean;
  chipFail: number;
  ctlsFail: number;
  swipeFail: number;
  operator?: string;
  opReadFail: number;
  opInputFail: number;
  /** Response-code override: probability and codes. */
  rcRate: number;
  rcCodes: readonly string[];
  /** Share of payments the host refuses (61/65) once the day's approved amount has reached the merchant's daily limit. */
  limitRefusal: number;
  timeoutRate: number;
  latencyMult: number;
  rttMult: number;
  dnsFail: boolean;
  tlsFail: number;
  pinFail: number;
  printer: PrinterState;
  printerErrorMsg: string;
  chip: SelfTest;
  contactless: SelfTest;
  magstripe: SelfTest;
  screen: SelfTest;
  keypad: SelfTest;
  tamper: boolean;
  rssiDelta: number;
  hbDrop: number;
  tempDelta: number;
  humidity?: number;
  storageFree?: number;
  batteryHealth?: number;
  batteryDrain: number;
  /** Device clock error (ms, negative = behind). */
  skewMs: number;
  oldVersions: boolean;
  /** Mean minutes between periodic events and which ones. */
  every: number;
  periodic: Periodic[];
}

export function noEffects(): Effects {
  return {
    dead: false, disconnected: false, noTxn: false, chipFail: 0, ctlsFail: 0, swipeFail: 0, opReadFail: 0, opInputFail: 0,
    rcRate: 0, rcCodes: [], limitRefusal: 0, timeoutRate: 0, latencyMult: 1, rttMult: 1, dnsFail: false, tlsFail: 0, pinFail: 0,
    printer: 'ok', printerErrorMsg: '', chip: 'ok', contactless: 'ok', magstripe: 'ok', screen: 'ok', keypad: 'ok', tamper: false,
    rssiDelta: 0, hbDrop: 0, tempDelta: 0, batteryDrain: 1, skewMs: 0, oldVersions: false, every: 0, periodic: [],
  };
}

type Apply = (e: Effects, strong: boolean, f: PlannedFault) => void;

function periodic(e: Effects, every: number, ...kinds: Periodic[]): void {
  e.every = e.every === 0 ? every : Math.min(e.every, every);
  e.periodic.push(...kinds);
}

/** One entry per cause code; `strong` is true for obvious faults, false for subtle ones. */
export const FAULT_EFFECTS: Record<CauseCode, Apply> = {
  'hw.chip_reader': (e, s) => { e.chipFail += s ? 0.6 : 0.22; if (s) e.chip = 'fault'; },
  'hw.contactless_reader': (e, s) => { e.ctlsFail += s ? 0.7 : 0.25; if (s) e.contactless = 'fault'; },
  'hw.magstripe_reader': (e, s) => { e.swipeFail += s ? 0.8 : 0.35; if (s) e.magstripe = 'fault'; },
  'hw.printer': (e, s) => { e.printer = s ? 'fault' : 'overheat'; e.printerErrorMsg = s ? 'printer mechanism fault' : 'print head overheated'; },
  'hw.printer_paper': (e, s, f) => { e.printer = f.detail === 'cover_open' ? 'cover_open' : 'paper_out'; e.printerErrorMsg = e.printer === 'cover_open' ? 'printer cover open' : 'out of paper'; },
  'hw.screen': (e, s) => { e.screen = 'fault'; e.noTxn = s; },
  'hw.keypad': (e, s) => { e.keypad = s ? 'fault' : 'ok'; e.pinFail = s ? 0.7 : 0.3; periodic(e, 90, 'pin'); },
  'hw.battery': (e, s) => { e.batteryHealth = s ? 22 : 38; e.batteryDrain = s ? 6 : 3; },
  'hw.power': (e) => { e.dead = true; },
  'sw.crash_loop': (e, s) => periodic(e, s ? 9 : 40, 'crash', 'crash', 'anr'),
  'sw.app_conflict': (e, s) => periodic(e, s ? 12 : 45, 'crash'),
  'sw.outdated': (e, s) => { e.oldVersions = true; e.tlsFail = s ? 0.6 : 0.2; },
  'sw.update_failed': (e, s) => { periodic(e, s ? 120 : 240, 'update_retry'); e.rcRate = s ? 0.1 : 0; e.rcCodes = ['96']; },
  'sw.incompatible_update': (e, s) => { periodic(e, s ? 10 : 35, 'crash', 'crash', 'anr'); e.timeoutRate += s ? 0.15 : 0.05; },
  'sw.key_error': (e, s) => { e.rcRate = s ? 0.85 : 0.3; e.rcCodes = ['A0']; periodic(e, 60, 'key'); },
  'sw.storage_full': (e, s) => { e.storageFree = s ? 3 : 18; periodic(e, s ? 30 : 90, 'storage'); },
  'sw.clock_skew': (e, s, f) => { e.skewMs = Number(f.detail ?? (s ? -400 * 86_400_000 : -40 * 60_000)); e.tlsFail = s ? 0.7 : 0.15; periodic(e, 50, 'clock'); },
  'net.offline': (e) => { e.disconnected = true; },
  'net.weak_signal': (e, s) => { e.rssiDelta -= s ? 32 : 20; e.hbDrop = s ? 0.3 : 0.12; e.timeoutRate += s ? 0.18 : 0.07; periodic(e, s ? 25 : 60, 'netfail'); },
  'net.config': (e, s) => { e.dnsFail = true; e.rttMult = s ? Infinity : 1; periodic(e, s ? 20 : 60, 'dns'); },
  'net.host_slow': (e, s) => { e.latencyMult = s ? 5.5 : 2.6; e.rttMult = s ? 5.5 : 2.6; e.timeoutRate += s ? 0.06 : 0.01; },
  'net.carrier_outage': (e) => { e.disconnected = true; },
  'contract.expired': (e) => { e.disconnected = true; },
  'acct.merchant_setup': (e, s) => { e.rcRate = s ? 0.85 : 0.35; e.rcCodes = ['03', '03', '58']; },
  // the public samples: after the day's limit 5-10% of payments still approved
  'acct.limit_exceeded': (e, s) => { e.limitRefusal = s ? 0.93 : 0.45; },
  'op.input_error': (e, s, f) => { e.operator = f.operator; e.opInputFail = s ? 0.45 : 0.2; },
  'op.card_handling': (e, s, f) => { e.operator = f.operator; e.opReadFail = s ? 0.45 : 0.2; },
  'provider.maintenance': (e, s) => { e.rcRate = s ? 0.8 : 0.4; e.rcCodes = ['91', '96', '96']; e.timeoutRate += 0.1; },
  'provider.issuer_down': () => {},
  'env.overheat': (e, s) => { e.tempDelta += s ? 35 : 20; e.chipFail += s ? 0.1 : 0.04; e.ctlsFail += s ? 0.06 : 0.02; periodic(e, s ? 80 : 200, 'overheat_reboot'); },
  'env.humidity': (e, s) => { e.humidity = s ? 96 : 89; e.chipFail += s ? 0.15 : 0.07; e.swipeFail += 0.1; },
  'sec.tamper': (e) => { e.tamper = true; e.noTxn = true; },
};
