// One payment at the counter: how the card is read (with read failures and fallback swipes),
// what the host answers (normal declines, fault-driven codes, timeouts) and how long it takes.
import { loadFactor, bearerLatency } from './terminal.heartbeat.ts';
import type { TerminalSim } from './terminal.ts';
import { ISSUERS } from './world.ts';

const ENTRY_WEIGHTS = [['qr', 45], ['contactless', 23], ['chip', 22], ['swipe', 9], ['manual', 0.4]] as const;
const CARD_DECLINES = [['51', 22], ['05', 11], ['55', 3.5], ['54', 2], ['57', 1.5], ['61', 2.5], ['62', 0.3], ['41', 0.3], ['96', 0.2], ['91', 0.2]] as const;
const CARD_DECLINE_RATE = 0.045;
const INPUT_ERRORS = ['55', '55', '13', '14', '12'] as const;
/** A merchant over its daily limit: mostly 61 (exceeds amount limit), some 65 (count limit), as in the public samples. */
const LIMIT_CODES = ['61', '61', '61', '61', '61', '61', '65'] as const;
const ISSUER_WEIGHTS = ISSUERS.map((i) => [i, i.weight] as const);
const READ_MESSAGES: Record<string, string> = {
  chip: 'chip: no ATR from card',
  contactless: 'contactless: card removed too early or collision',
  swipe: 'magstripe: no data',
  fallback: 'magstripe: no data',
};

function failRate(sim: TerminalSim, entry: string, operator: string): number {
  const e = sim.eff;
  const op = e.operator === operator ? e.opReadFail : 0;
  if (entry === 'chip') return 0.01 + e.chipFail + op;
  if (entry === 'contactless') return 0.02 + e.ctlsFail + op;
  return 0.01 + e.swipeFail + op * 0.5;
}

/** Reads the card, retrying as a cashier would; returns the way it was finally read, or undefined (given up). */
function readCard(sim: TerminalSim, t: number, first: string, operator: string): string | undefined {
  let entry = first;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!sim.rng.chance(failRate(sim, entry, operator))) return entry;
    sim.out.error(t - 20_000 + attempt * 5000, 'CARD_READ_FAIL', READ_MESSAGES[entry]!, sim.eff, operator, `,"entry":"${entry}"`);
    const r = sim.rng.next();
    if (entry === 'chip') entry = r < 0.6 ? 'fallback' : r < 0.9 ? 'chip' : '';
    else if (entry === 'contactless') entry = r < 0.7 ? 'chip' : r < 0.85 ? 'contactless' : '';
    else entry = r < 0.5 ? 'swipe' : '';
    if (entry === 'swipe' && first !== 'swipe') entry = 'fallback';
    if (!entry) return undefined;
  }
  return undefined;
}

/** A witness of an issuer outage: its first card after the start comes from that issuer. */
function witnessBin(sim: TerminalSim, t: number): string | undefined {
  if (sim.issuerHits > 0) return undefined;
  for (const o of sim.world.binOutages) if (t >= o.from && t < o.to && o.witnesses.has(sim.p.id)) return [...o.bins][0];
  return undefined;
}

function pickBin(sim: TerminalSim, t: number): string {
  let bin = witnessBin(sim, t) ?? sim.rng.pick(sim.rng.weighted(ISSUER_WEIGHTS).bins);
  // A terminal with a fault of its own meets no card of a failing issuer (its truth stays its own
  // cause): its cardholders' cards come from the issuers that work. Such a card never gets 00.
  for (let i = 0; i < 8 && sim.ownFault && binDown(sim, t, bin); i++) bin = sim.rng.pick(sim.rng.weighted(ISSUER_WEIGHTS).bins);
  return sim.p.longBin ? bin + String(sim.rng.int(10, 99)) : bin;
}

function binDown(sim: TerminalSim, t: number, bin: string): boolean {
  for (const o of sim.world.binOutages) if (t >= o.from && t < o.to && o.bins.has(bin.slice(0, 6))) return true;
  return false;
}

function issuerDown(sim: TerminalSim, t: number, bin: string): boolean {
  if (!binDown(sim, t, bin)) return false;
  if (sim.issuerHits++ === 0) sim.issuerSince = t;
  return true;
}

function responseCode(sim: TerminalSim, t: number, entry: string, bin: string | undefined, operator: string): string {
  const e = sim.eff;
  const r = sim.rng;
  if (bin && issuerDown(sim, t, bin)) return '91';
  if (e.limitRefusal > 0 && sim.sales?.reached(t) && r.chance(e.limitRefusal)) {
    sim.sales.refuse(t);
    return r.pick(LIMIT_CODES);
  }
  if (r.chance(e.rcRate)) return r.pick(e.rcCodes);
  if (e.operator === operator && r.chance(e.opInputFail)) return r.pick(INPUT_ERRORS);
  if (entry === 'qr') return r.chance(0.012) ? '51' : '00';
  return r.chance(CARD_DECLINE_RATE) ? r.weighted(CARD_DECLINES) : '00';
}

function amount(sim: TerminalSim): number {
  return Math.max(100, Math.round((sim.p.shop.amount * Math.exp(sim.rng.normal(0, 0.7))) / 10) * 10);
}

/** Fails before the host answers: name resolution, TLS, PIN entry. Returns true when the payment stopped here. */
function failsEarly(sim: TerminalSim, t: number, entry: string, operator: string): boolean {
  const e = sim.eff;
  const r = sim.rng;
  if (e.dnsFail) {
    sim.out.error(t, 'DNS_FAIL', `unable to resolve host ${sim.p.host.host}.pay.example.cn`, e, operator);
    return true;
  }
  if (r.chance(e.tlsFail)) {
    const msg = e.oldVersions ? 'handshake failure: protocol_version (TLS 1.0 rejected)' : 'certificate not yet valid (check device time)';
    sim.out.error(t, 'TLS_FAIL', msg, e, operator);
    return true;
  }
  if (entry !== 'qr' && entry !== 'contactless' && r.chance(e.pinFail * 0.6)) {
    sim.out.error(t, 'PIN_TIMEOUT', 'PIN entry timed out', e, operator);
    return true;
  }
  return false;
}

function stan(sim: TerminalSim): string {
  sim.stan = (sim.stan + 1) % 1_000_000;
  return sim.p.model.localTs ? `"${String(sim.stan).padStart(6, '0')}"` : String(sim.stan);
}

export function transaction(sim: TerminalSim, t: number): void {
  const r = sim.rng;
  const p = sim.p;
  const e = sim.eff;
  const operator = p.operators[Math.min(p.operators.length - 1, Math.floor(r.next() ** 1.4 * p.operators.length))]!;
  let entry: string | undefined = r.weighted(ENTRY_WEIGHTS);
  if (entry !== 'qr' && entry !== 'manual') entry = readCard(sim, t, entry, operator);
  if (!entry || failsEarly(sim, t, entry, operator)) return;
  const bin = entry === 'qr' ? undefined : pickBin(sim, t);
  const timeout = r.chance(0.0012 + e.timeoutRate);
  const rc = timeout ? null : responseCode(sim, t, entry, bin, operator);
  const base = entry === 'qr' ? 300 + r.exp(160) : 120 + 2 * (p.host.rtt + bearerLatency(sim)) + r.exp(110);
  const latency = timeout ? (p.model.fullTxn ? 60000 : 30000) : Math.round(base * loadFactor(t) * e.latencyMult);
  if (rc === 'A0' && r.chance(0.5)) sim.out.error(t, 'KEY_ERROR', 'MAC verification failed', e, operator);
  const paid = amount(sim);
  if (rc === '00') sim.sales?.approve(t, paid);
  let s = `${p.model.fullTxn ? ',"mti":"0200"' : ''},"stan":${stan(sim)},"entry":"${entry}","amount":${paid}`;
  if (p.model.fullTxn) s += ',"currency":"CNY"';
  s += `,"rc":${rc === null ? 'null' : `"${rc}"`}`;
  if (p.model.fullTxn || timeout) s += `,"timeout":${timeout}`;
  s += `,"latency_ms":${latency},"operator":"${operator}"`;
  if (bin) s += `,"bin":"${bin}"`;
  if (p.index % 3 === 0) s += `,"merchant":"${p.merchant}"`;
  sim.out.emit(t, 'txn', s, e);
  if (timeout) sim.out.error(t + 500, 'HOST_TIMEOUT', 'no response from host', e, operator);
  if (rc === '00' && e.printer !== 'ok' && r.chance(0.8)) sim.out.error(t + 3000, 'PRINTER_ERROR', e.printerErrorMsg, e, operator);
}
