// acct.limit_exceeded as acquirers have it: a merchant's daily limit below its usual day's sales.
// The host refuses the merchant's payments once the approved amount of the China business day
// (UTC+8) has reached the limit, until the day turns (terminal.limit.ts); other merchants have
// limits they never reach.
import type { Registry } from '../domain/index.ts';
import { DAY, localDayStart } from './clock.ts';
import { Rng, mixSeed } from './random.ts';
import { expectedSales } from './schedule.ts';
import type { PlannedFault, TerminalProfile } from './types.ts';

/** Limits are whole hundreds, like the registry's. */
const ROUND = 100;
/** Other merchants: at least this many usual days of their terminals' sales. */
const UNREACHED_DAYS = 3;

function roundUp(amount: number): number {
  return Math.max(ROUND, Math.ceil(amount / ROUND) * ROUND);
}

/**
 * The share of a usual day's sales at which the limit stands: 40-80%, reached in the afternoon or
 * evening. A run that ends after the shop has made a third of its day keeps the share below 60% of
 * what it has made by then, so that its last day reaches the limit before the end (the public
 * samples' limit faults show on the day of `at`).
 */
function limitShare(rng: Rng, p: TerminalProfile, end: number): number {
  const day = localDayStart(end - 1);
  const byEnd = expectedSales(p, day, end) / Math.max(1, expectedSales(p, day, day + DAY));
  const hi = byEnd > 1 / 3 ? Math.min(0.8, 0.6 * byEnd) : 0.8;
  return rng.range(hi / 2, hi);
}

/**
 * Sets the daily limit of a limit fault (on the fault, and on its merchant in the registry). The
 * limit is the terminal's own: a scripted fault on one terminal of a larger merchant counts that
 * terminal's sales only. Drawn from the terminal's own stream, so other draws stay as they were.
 */
export function planDailyLimit(f: PlannedFault, p: TerminalProfile, registry: Registry, end: number): void {
  const rng = new Rng(mixSeed(p.seed, 0x1141));
  const day = localDayStart(end - 1);
  f.dailyLimit = roundUp(expectedSales(p, day, day + DAY) * limitShare(rng, p, end));
  const row = registry.merchants.find((m) => m.merchant === p.merchant);
  if (row) row.daily_limit = f.dailyLimit;
}

/** A daily limit the merchant's terminals never reach: the drawn one, or several usual days of their sales. */
export function unreachedLimit(drawn: number, terminals: readonly TerminalProfile[], start: number): number {
  const day = localDayStart(start);
  const sales = terminals.reduce((sum, p) => sum + expectedSales(p, day, day + DAY), 0);
  return Math.max(drawn, roundUp(UNREACHED_DAYS * sales));
}
