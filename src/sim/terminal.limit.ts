// The approved amount of a terminal with a daily limit (acct.limit_exceeded, plan.limit.ts), per
// China business day (UTC+8: the day turns at 16:00 UTC). While the fault is active the host
// refuses its payments once the day's amount has reached the limit, until the day turns.
import { localDayStart } from './clock.ts';
import { expectedSales } from './schedule.ts';
import type { TerminalProfile } from './types.ts';

export class DailySales {
  private day: number;
  private approved: number;
  /** The first refusal of the latest day the host refused a payment over the limit (0: none yet). */
  firstRefusal = 0;

  /** The day's sales before `start` (not simulated) count at their usual amount. */
  constructor(p: TerminalProfile, readonly limit: number, start: number) {
    this.day = localDayStart(start);
    this.approved = expectedSales(p, this.day, start);
  }

  private turn(t: number): void {
    const day = localDayStart(t);
    if (day === this.day) return;
    this.day = day;
    this.approved = 0;
  }

  /** Whether the approved amount of t's day has reached the limit. */
  reached(t: number): boolean {
    this.turn(t);
    return this.approved >= this.limit;
  }

  /** Counts an approved payment. */
  approve(t: number, amount: number): void {
    this.turn(t);
    this.approved += amount;
  }

  /** Notes a payment the host refused over the limit. */
  refuse(t: number): void {
    if (this.firstRefusal === 0 || localDayStart(this.firstRefusal) !== localDayStart(t)) this.firstRefusal = t;
  }
}
