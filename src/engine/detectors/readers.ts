// Card readers and how cards are handled: a reader fault shows across every operator (and
// often in the self-test); one cashier's bad handling shows on that operator only.

import { C, TAU_LONG, type CounterId } from '../counters.ts';
import type { OperatorStats, TerminalState } from '../state.ts';
import { binomialTailReal } from '../stats.ts';
import { candidate, clamp01, count, n1, pct, type Candidate, type Detector, type DetectorInput } from './types.ts';

interface ReaderKind {
  cause: 'hw.chip_reader' | 'hw.contactless_reader' | 'hw.magstripe_reader';
  test: string;
  label: [string, string];
  fail: CounterId[];
  ok: CounterId[];
  /** Index of the failure sum in FleetBaseline.reads (successes follow it). */
  fleetIndex: number;
}

const KINDS: ReaderKind[] = [
  { cause: 'hw.chip_reader', test: 'reader.chip', label: ['chip', '插卡'], fail: [C.RF_CHIP], ok: [C.TX_CHIP], fleetIndex: 0 },
  { cause: 'hw.contactless_reader', test: 'reader.contactless', label: ['contactless', '挥卡'], fail: [C.RF_CTLS], ok: [C.TX_CTLS], fleetIndex: 2 },
  { cause: 'hw.magstripe_reader', test: 'reader.magstripe', label: ['swipe', '刷卡'], fail: [C.RF_SWIPE], ok: [C.TX_SWIPE], fleetIndex: 4 },
];

/**
 * Largest chance, at the fleet's own failure rate, of a reader's failures for them to be a fault
 * on that alone: thousands of readers are checked every few minutes, and a healthy one has a run
 * of misreads on a quiet day now and then (in 13 simulated fleets, 6,250 terminals checked every
 * 15 minutes, the lowest chance a healthy reader reached was about 7e-5), so it must be far smaller.
 */
export const MAX_READER_CHANCE = 1e-6;

function sum(s: TerminalState, ids: CounterId[], now: number): number {
  let total = 0;
  for (const id of ids) total += s.counters.long(id, now);
  return total;
}

/** The operator with most read failures, if they account for most of them. */
export function concentratedOperator(ops: OperatorStats[] | undefined, pick: (o: OperatorStats) => number): { op: OperatorStats; share: number; otherRate: number; rate: number } | undefined {
  if (!ops || ops.length < 2) return undefined;
  const total = ops.reduce((a, o) => a + pick(o), 0);
  const top = ops.reduce((a, o) => (pick(o) > pick(a) ? o : a));
  if (total <= 0) return undefined;
  const others = ops.filter((o) => o !== top);
  const otherTxn = others.reduce((a, o) => a + o.txn, 0);
  const otherFail = others.reduce((a, o) => a + pick(o), 0);
  if (otherTxn < 5) return undefined;
  return { op: top, share: pick(top) / total, rate: pick(top) / Math.max(1, top.txn), otherRate: otherFail / otherTxn };
}

function readerCandidate(x: DetectorInput, k: ReaderKind, handling: boolean): Candidate | undefined {
  const { state: s, now } = x;
  const fails = sum(s, k.fail, now);
  const oks = sum(s, k.ok, now);
  const rate = fails / Math.max(1, fails + oks);
  // the fleet without this terminal, so one broken reader does not raise its own baseline
  const fleetFail = Math.max(0, x.fleet.reads[k.fleetIndex]! - fails);
  const fleetOk = Math.max(0, x.fleet.reads[k.fleetIndex + 1]! - oks);
  const fleet = fleetFail / Math.max(1, fleetFail + fleetOk);
  const selfTest = s.health?.test[k.test] === 'fault';
  const recent = s.counters.short(k.fail[0]!, now);
  // a fresh fault shows first in the short window, before the day's good reads are outweighed
  let recentOk = 0;
  for (const id of k.ok) recentOk += s.counters.short(id, now);
  const recentRate = recent / Math.max(1, recent + recentOk);
  // (not while it is hot or humid: failures that follow the weather are the environment's)
  const weather = s.counters.short(C.HOT, now) + s.counters.short(C.HUMID, now) >= 0.5;
  const fresh = !weather && recent >= 5 && recentRate >= Math.max(0.3, 8 * fleet);
  // more failures than the fleet's rate explains (binomial: mean + 3 sd + 2), at a rate well above it
  const expected = (fails + oks) * fleet;
  const sustained = fails >= Math.max(4, expected + 3 * Math.sqrt(expected) + 2) && rate >= Math.max(0.08, 4 * fleet) && recent >= 0.5;
  // few reads but most of them failing: how likely that many failures are at the fleet's rate.
  // The counts are read as they stood at the latest failure (hours without a read of this kind
  // do not make them less telling; successes since then are counted at more than their weight);
  // the fleet's rate has a prior of one failure and one success so that a young fleet's zero
  // does not make every failure a fault. Not when the last hours read three or more cards of
  // this kind without a failure (the reader works again), nor after heat or damp within the
  // day (the counts look back that far).
  const lastFail = s.counters.last(k.fail[0]!);
  const lift = lastFail > 0 && now > lastFail ? Math.exp((now - lastFail) / TAU_LONG) : 1;
  const liftedFails = fails * lift;
  const liftedRate = liftedFails / Math.max(1, liftedFails + oks * lift);
  const chance = binomialTailReal(liftedFails + oks * lift, liftedFails, (fleetFail + 1) / (fleetFail + fleetOk + 2));
  const weatherDay = weather || s.counters.long(C.HOT, now) + s.counters.long(C.HUMID, now) >= 0.5;
  const unlikely = !weatherDay && liftedRate >= Math.max(0.08, 4 * fleet) && chance < MAX_READER_CHANCE && (recent >= 0.5 || recentOk < 3);
  const failing = sustained || fresh || unlikely;
  if (!selfTest && (!failing || handling)) return undefined;
  const ev: [string, string][] = [];
  ev.push([
    `${k.label[0]} read failures ${pct(rate)} (fleet ${pct(fleet)}), ${Math.round(fails)} recently; ${pct(recentRate)} over the last hours`,
    `${k.label[1]}读卡失败率 ${pct(rate)}（全网 ${pct(fleet)}），近期 ${Math.round(fails)} 次；最近几小时 ${pct(recentRate)}`,
  ]);
  if (unlikely) {
    const reads = n1(liftedFails + oks * lift);
    ev.push([
      `${count(liftedFails)} ${k.label[0]} read failures in ${reads} reads up to the latest failure: a chance of ${chance.toExponential(1)} at the fleet's rate`,
      `截至最近一次失败，${reads} 次${k.label[1]}中 ${count(liftedFails)} 次读卡失败：按全网失败率出现的概率为 ${chance.toExponential(1)}`,
    ]);
  }
  if (selfTest) ev.push([`self-test ${k.test}=fault`, `自检 ${k.test}=fault`]);
  const strength = sustained ? rate : Math.max(0.6 * recentRate, unlikely ? 0.6 * liftedRate : 0);
  const conf = selfTest ? 0.95 : clamp01(0.55 + strength + Math.min(fails, 20) / 100);
  const since = selfTest ? Math.min(s.health!.since?.[k.test] ?? now, s.counters.first(k.fail[0]!) || now) : s.counters.first(k.fail[0]!);
  return candidate(k.cause, conf, since, ev);
}

function cardHandling(x: DetectorInput): Candidate | undefined {
  const s = x.state;
  const conc = concentratedOperator(s.operators, (o) => o.readFail);
  if (!conc || conc.op.readFail < 5 || conc.share < 0.75 || conc.rate < 3 * conc.otherRate + 0.05) return undefined;
  // more than chance gives one cashier among a fleet's thousands (a failed read counts with its fallback)
  const r = x.fleet.reads;
  const fleetRate = (r[0]! + r[2]!) / Math.max(1, r[0]! + r[1]! + r[2]! + r[3]!);
  const expected = 2 * conc.op.txn * Math.max(0.01, fleetRate);
  if (conc.op.readFail < expected + 3 * Math.sqrt(expected) + 2) return undefined;
  const selfTestBad = ['reader.chip', 'reader.contactless', 'reader.magstripe'].some((t) => s.health?.test[t] === 'fault');
  if (selfTestBad) return undefined;
  const name = conc.op.name;
  return candidate('op.card_handling', clamp01(0.6 + conc.share * 0.3), s.counters.first(C.RF_CHIP) || s.counters.first(C.RF_CTLS) || x.now, [
    [`${Math.round(conc.op.readFail)} read failures, ${pct(conc.share)} of them by operator ${name} (${pct(conc.rate)} of their transactions vs ${pct(conc.otherRate)} for the others)`,
      `${Math.round(conc.op.readFail)} 次读卡失败，其中 ${pct(conc.share)} 来自操作员 ${name}（其交易的 ${pct(conc.rate)}，其他操作员 ${pct(conc.otherRate)}）`],
    ['self-tests of the readers OK', '读卡器自检正常'],
  ]);
}

export const readerDetector: Detector = {
  family: 'hardware',
  detect(x) {
    const handling = cardHandling(x);
    const out: Candidate[] = handling ? [handling] : [];
    for (const k of KINDS) {
      const c = readerCandidate(x, k, handling !== undefined);
      if (c) out.push(c);
    }
    return out;
  },
};
