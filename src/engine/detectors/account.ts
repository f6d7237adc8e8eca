// Account, limits and operators: merchant setup answers (03/58), limit answers (61/65) and one
// operator's input mistakes (12/13/14, wrong PINs). Normal cardholder declines are not faults.

import { C } from '../counters.ts';
import { concentratedOperator } from './readers.ts';
import { candidate, count, pct, shopDay, type Candidate, type Detector, type DetectorInput } from './types.ts';

function merchantSetup(x: DetectorInput): Candidate | undefined {
  const { state: s, txnNow: now } = x;
  const n = s.counters.long(C.RC_SETUP, now);
  const txn = s.counters.long(C.TXN, now);
  const share = n / Math.max(1, txn);
  if (n < 3 || share < 0.25 || s.counters.short(C.RC_SETUP, now) < 0.5) return undefined;
  return candidate('acct.merchant_setup', Math.min(0.95, 0.55 + share), s.counters.first(C.RC_SETUP), [[
    `${pct(share)} of recent transactions answered 03/58 (invalid merchant / not permitted to terminal)`,
    `近期 ${pct(share)} 的交易返回 03/58（无效商户/终端不允许）`,
  ]]);
}

function limit(x: DetectorInput): Candidate | undefined {
  const { state: s, txnNow: now } = x;
  // limits are per business day: yesterday's refusals say nothing about today's
  if (shopDay(s.counters.last(C.RC_LIMIT)) !== shopDay(x.at)) return undefined;
  const n = s.counters.long(C.RC_LIMIT, now);
  const txn = s.counters.long(C.TXN, now);
  const share = n / Math.max(1, txn);
  if (n < 5 || share < 0.08 || s.counters.short(C.RC_LIMIT, now) < 1) return undefined;
  return candidate('acct.limit_exceeded', Math.min(0.92, 0.5 + share + n / 100), s.counters.first(C.RC_LIMIT), [[
    `${count(n)} transactions answered 61/65 (limit exceeded), ${pct(share)} of recent ones`,
    `${count(n)} 笔交易返回 61/65（超限），占近期交易的 ${pct(share)}`,
  ]]);
}

function inputError(x: DetectorInput): Candidate | undefined {
  const s = x.state;
  const conc = concentratedOperator(s.operators, (o) => o.input);
  if (!conc || conc.op.input < 3.5 || conc.share < 0.7 || conc.rate < 3 * conc.otherRate + 0.03) return undefined;
  const name = conc.op.name;
  return candidate('op.input_error', Math.min(0.9, 0.5 + conc.share * 0.2 + conc.op.input / 40), s.counters.first(C.RC_INPUT) || x.now, [[
    `operator ${name}: ${count(conc.op.input)} input errors (12/13/14, wrong PIN) = ${pct(conc.share)} of them on this terminal; ${pct(conc.rate)} of their transactions vs ${pct(conc.otherRate)} for the others`,
    `操作员 ${name}：${count(conc.op.input)} 次输入错误（12/13/14、密码错），占本机的 ${pct(conc.share)}；其交易的 ${pct(conc.rate)}，其他操作员 ${pct(conc.otherRate)}`,
  ]]);
}

export const accountDetector: Detector = {
  family: 'account',
  detect(x) {
    return [merchantSetup(x), limit(x), inputError(x)].filter((c): c is Candidate => c !== undefined);
  },
};
