// acct.limit_exceeded is a merchant's daily limit, as in the public samples: the host refuses the
// terminal's payments once the approved amount of the China business day (UTC+8) has reached the
// merchant's daily_limit, until the day turns; the truth names the fault on at's day only, since
// that day's first refusal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY, HOUR, MINUTE, formatTs, localDayStart, localMinute } from './clock.ts';
import { buildTruth, createTerminalSims, generateFleet, parseScenario, type SimFleet } from './index.ts';
import { expectedSales } from './schedule.ts';

const START = '2026-11-19T16:00:00Z'; // 00:00 China time
const DAY0 = Date.parse(START);
const base = generateFleet({ terminals: 60, days: 3, seed: 3, start: START });
const size = new Map<string, number>();
for (const p of base.profiles) size.set(p.merchant, (size.get(p.merchant) ?? 0) + 1);
/** A busy shop, its merchant's only terminal, with a right clock (event times = simulated times). */
const shop = base.profiles.find((p) => size.get(p.merchant) === 1 && p.rate >= 5 && p.clockOffsetMs === 0 && !p.model.localTs)!;

function limitFleet(at: string): SimFleet {
  const scenario = parseScenario(JSON.stringify({ faults: [{ at, cause: 'acct.limit_exceeded', terminal: shop.id }] }));
  return generateFleet({ terminals: 60, days: 3, seed: 3, start: START, scenario });
}

interface Payment { ts: number; rc: string | null; amount: number; day: number; approvedBefore: number }

/** Runs the shop's terminal alone; `stops` are moments at which `atStop` is called with the terminal run up to there. */
function run(fleet: SimFleet, stops: number[] = [], atStop: (at: number, sims: ReturnType<typeof createTerminalSims>) => void = () => {}): Payment[] {
  const payments: Payment[] = [];
  const sims = createTerminalSims({ ...fleet, profiles: [shop] }, () => (_arrival, line) => {
    const e = JSON.parse(line) as { type: string; ts: string; rc: string | null; amount: number };
    if (e.type === 'txn') payments.push({ ts: Date.parse(e.ts), rc: e.rc, amount: e.amount, day: 0, approvedBefore: 0 });
  });
  for (const at of [...stops, fleet.end]) {
    sims[0]!.advance(at);
    if (at < fleet.end) atStop(at, sims);
  }
  payments.sort((a, b) => a.ts - b.ts);
  let day = -1;
  let approved = 0;
  for (const x of payments) {
    x.day = Math.round((localDayStart(x.ts) - DAY0) / DAY);
    if (x.day !== day) [day, approved] = [x.day, 0];
    x.approvedBefore = approved;
    if (x.rc === '00') approved += x.amount;
  }
  return payments;
}

const refused = (x: Payment) => x.rc === '61' || x.rc === '65';

/** The shop's merchant's daily_limit in the registry. */
function limitOf(fleet: SimFleet): number {
  return fleet.registry.merchants.find((m) => m.merchant === shop.merchant)!.daily_limit!;
}

test('a limit merchant has a daily_limit below its usual day; the others have limits they never reach', () => {
  const fleet = limitFleet('+2h');
  const usualDay = expectedSales(shop, DAY0, DAY0 + DAY);
  assert.ok(limitOf(fleet) < 0.85 * usualDay, `limit ${limitOf(fleet)} of a usual day's ${Math.round(usualDay)}`);
  for (const m of fleet.registry.merchants) {
    if (m.merchant === shop.merchant) continue;
    const sales = fleet.profiles.filter((p) => p.merchant === m.merchant).reduce((s, p) => s + expectedSales(p, DAY0, DAY0 + DAY), 0);
    assert.ok(m.daily_limit! >= 3 * sales, `${m.merchant}: limit ${m.daily_limit} for ${Math.round(sales)} a day`);
  }
});

test('the host refuses the payments once the China day\'s approved amount has reached the limit, and from the next day\'s start only when it is reached again', () => {
  const fleet = limitFleet('+2h');
  const limit = limitOf(fleet);
  const payments = run(fleet).filter((x) => x.ts >= fleet.faults[0]!.from);
  const over = payments.filter((x) => x.approvedBefore >= limit);
  const under = payments.filter((x) => x.approvedBefore < limit);
  // a card now and then is declined 61 by its issuer (normal life), not by the limit
  assert.ok(under.filter(refused).length <= 0.01 * under.length, `${under.filter(refused).length} of ${under.length} payments under the limit refused`);
  assert.ok(over.length >= 30 && over.filter(refused).length >= 0.8 * over.length, `${over.filter(refused).length} of ${over.length} payments over the limit refused`);
  assert.ok(over.filter(refused).length < over.length, 'a few payments over the limit still approved, as in the samples');
  for (const day of [0, 1, 2]) {
    const today = payments.filter((x) => x.day === day);
    const first = today.find((x) => x.approvedBefore >= limit);
    assert.ok(first, `day ${day}: the limit was not reached`);
    const minute = localMinute(first.ts);
    assert.ok(minute >= 11 * 60, `day ${day}: limit reached at ${Math.floor(minute / 60)}:${minute % 60} China time, not in the afternoon or evening`);
    if (day > 0) {
      const opening = today.slice(0, 5);
      assert.deepEqual(opening.filter(refused), [], `day ${day} begins with refusals`);
      assert.ok(opening.some((x) => x.rc === '00'), `day ${day} begins without approvals`);
    }
  }
});

test('the truth names acct.limit_exceeded on the China day of the refusals only, since that day\'s first refusal', () => {
  const fleet = limitFleet('+2h');
  const first = run(fleet).find((x) => x.day === 1 && refused(x))!;
  assert.ok(first.approvedBefore >= limitOf(fleet), 'the first refusal of the day is over the limit');
  const firstRefusal = first.ts;
  const stops = [firstRefusal - MINUTE, firstRefusal + 30 * MINUTE, DAY0 + 2 * DAY + HOUR];
  const seen: (string | undefined)[][] = [];
  run(fleet, stops, (at, sims) => {
    const truth = buildTruth(fleet, sims, at);
    seen.push([truth.terminals[shop.id], truth.faults[shop.id]?.since]);
  });
  assert.deepEqual(seen, [
    ['ok', undefined], // that day, before its limit
    ['acct.limit_exceeded', formatTs(firstRefusal)],
    ['ok', undefined], // 01:00 the next day: the evening's refusals are over
  ]);
});

test('a limit fault that begins after the day\'s limit was reached shows from its onset: refusals and since after it', () => {
  // onset at 20:00 China time on day 0, when the usual day is over its limit
  const fleet = limitFleet('12:00');
  const onset = fleet.faults[0]!.from;
  const limit = limitOf(fleet);
  const day0 = run(fleet).filter((x) => x.day === 0);
  assert.ok(day0.some((x) => x.ts < onset && x.approvedBefore >= limit), 'the day reached its limit before the onset');
  assert.deepEqual(day0.filter((x) => x.ts < onset && refused(x)).map((x) => formatTs(x.ts)), [], 'refused before the onset');
  const first = day0.find((x) => x.ts >= onset && refused(x));
  assert.ok(first, 'no refusal after the onset');
  const at = onset + 90 * MINUTE;
  let since: string | undefined;
  run(fleet, [at], (t, sims) => {
    since = buildTruth(fleet, sims, t).faults[shop.id]?.since;
  });
  assert.equal(since, formatTs(first.ts));
});
