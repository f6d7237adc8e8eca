// Opening hours and power: when a shop takes payments and when its terminal is switched on.
import { DAY, HOUR, MINUTE, localDayStart, localMinute } from './clock.ts';
import type { TerminalProfile } from './types.ts';

/** Terminals that are switched off at night come on a little before opening and go off a little after closing. */
const POWER_MARGIN_MIN = 20;

export function isOpen(p: TerminalProfile, t: number): boolean {
  const m = localMinute(t);
  return m >= p.openMin && m < p.closeMin;
}

function poweredWindow(p: TerminalProfile): [number, number] {
  return [Math.max(0, p.openMin - POWER_MARGIN_MIN), Math.min(1440, p.closeMin + POWER_MARGIN_MIN)];
}

export function isPowered(p: TerminalProfile, t: number): boolean {
  if (!p.nightOff) return true;
  const [on, off] = poweredWindow(p);
  const m = localMinute(t);
  return m >= on && m < off;
}

/** The next moment after t at which isPowered changes (Infinity for always-on terminals). */
export function nextPowerChange(p: TerminalProfile, t: number): number {
  if (!p.nightOff) return Infinity;
  const [on, off] = poweredWindow(p);
  const day = localDayStart(t);
  for (const base of [day, day + DAY]) {
    for (const m of [on, off]) {
      const at = base + m * MINUTE;
      if (at > t) return at;
    }
  }
  return t + DAY;
}

/** The next moment at or after t at which the shop is open. */
export function nextOpen(p: TerminalProfile, t: number): number {
  if (isOpen(p, t)) return t;
  const day = localDayStart(t);
  const today = day + p.openMin * MINUTE;
  return today > t ? today : today + DAY;
}

/** The first powered moment at or after t. */
export function nextPowered(p: TerminalProfile, t: number): number {
  return isPowered(p, t) ? t : nextPowerChange(p, t);
}

/** Busy-ness of the shop by local hour (1 = its mean rate): lunch and dinner peaks, quiet nights. */
const HOURLY = [0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1.0, 0.95, 1.0, 1.35, 1.6, 1.3, 0.95, 0.9, 0.95, 1.15, 1.45, 1.5, 1.25, 0.95, 0.6, 0.3];

export function hourlyFactor(t: number): number {
  return HOURLY[Math.floor(localMinute(t) / 60)]!;
}

/**
 * What an approved payment brings on average, as a multiple of the shop's typical amount: the
 * lognormal spread of amounts (e^(0.7²/2) = 1.28) times the share approved (~96%: QR almost
 * always, cards after declines and read failures).
 */
const APPROVED_PER_PAYMENT = 1.23;
/** Opening and closing fall on the half hour, busy-ness changes on the hour: steps of 30 min are exact. */
const SALES_STEP = 30 * MINUTE;

/** The approved amount the terminal's payments bring in [from, to) on average (same unit as a payment's amount). */
export function expectedSales(p: TerminalProfile, from: number, to: number): number {
  let hours = 0;
  for (let t = from; t < to; ) {
    const next = Math.min(to, (Math.floor(t / SALES_STEP) + 1) * SALES_STEP);
    if (isOpen(p, t)) hours += ((next - t) / HOUR) * hourlyFactor(t);
    t = next;
  }
  return hours * p.rate * p.shop.amount * APPROVED_PER_PAYMENT;
}
