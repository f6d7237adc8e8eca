// Is a silent terminal offline, or is its shop simply closed? A terminal is offline when it
// is silent during hours it was active the day before, or silent far beyond its normal gaps
// while its shop's other terminals still talk.

import type { FleetBaseline } from './fleet.ts';
import { RING_HOURS, type TerminalState } from './state.ts';

const HOUR = 3_600_000;
/** Shorter silences are normal (a shift ends, a terminal is switched off for a while). */
export const OFFLINE_MIN_MS = 90 * 60_000;
/** A silence must also span this many of the terminal's usual heartbeat gaps (hourly vendors). */
const GAPS = 2.5;
/** Without a day of its own history: this share of the fleet going quiet in the same hour is closing time. */
const CLOSING_SHARE = 0.1;
/**
 * A silence that began at closing time is a shop still closed until this share of the terminals
 * that went quiet with it (the same hour, or either side) are awake again; after that it is late.
 */
const REOPENED_LATE = 0.95;
/** Shorter silences with no other terminal of the shop still talking may be a shop closing early today. */
const EARLY_CLOSE_MS = 150 * 60_000;
/** A terminal never heard from is offline once the feed has run this long (more than a day). */
const NEVER_HEARD_MS = 30 * HOUR;
/** The shop's other terminals heard this long after a terminal went quiet: not the shop closing. */
const PEERS_WORKED_MS = 3 * HOUR;
/** Below this `expected`, a silence is not reported. */
const NOT_EXPECTED = 0.45;
/**
 * A silence this many heartbeat gaps long (and at least FAST_MIN_MS) is offline at once when the
 * terminal's own yesterday says the shop is open now and stays open for FAST_OPEN_AHEAD more hours.
 */
const FAST_GAPS = 2.4;
const FAST_MIN_MS = 11 * 60_000;
const FAST_OPEN_AHEAD = 2;
const FAST_EXPECTED = 0.6;
/** A device clock ahead of the arrival estimate by up to this much shortens a short silence by as much. */
const FAST_LEAD_MAX_MS = 15 * 60_000;

export interface Silence {
  /** How long the terminal has been silent (ms). */
  silentMs: number;
  /** Arrival time (ms) of its last event. */
  lastSeen: number;
  /** 0..1: how sure we are that it should have been talking. */
  expected: number;
  /** Hours of the silence seen a day earlier, and in how many of them it was active. */
  observedHours: number;
  activeHours: number;
  /** Silent terminals / all terminals of the same merchant. */
  merchantSilent: number;
  merchantTerminals: number;
  /** Share of the fleet that went quiet within an hour of this terminal (when it has no day-before history). */
  closingShare?: number;
}

function activeDayBefore(s: TerminalState, fleet: FleetBaseline, from: number, to: number): [number, number] {
  let observed = 0;
  let active = 0;
  for (let h = from; h <= to; h++) {
    const before = h - 24;
    if (before * HOUR < fleet.observedFrom || before * HOUR < s.firstArrival - HOUR) continue;
    if (s.ringHour - before >= RING_HOURS || before > s.ringHour) continue;
    observed++;
    if (s.counters.hour(before % RING_HOURS) > 0) active++;
  }
  return [observed, active];
}

/**
 * Share of the reporting fleet that went quiet in the hour this terminal did, or the hour either
 * side; and the share of those awake again now.
 */
function quietShare(fleet: FleetBaseline, lastSeen: number): { share: number; reopened: number } {
  if (fleet.reporting < 20) return { share: 0, reopened: 0 };
  const hour = Math.floor(lastSeen / HOUR);
  let quiet = 0;
  let reopened = 0;
  for (let h = hour - 1; h <= hour + 1; h++) {
    quiet += fleet.quietAt.get(h) ?? 0;
    reopened += fleet.reopenedIn(h);
  }
  const closed = quiet + reopened;
  return { share: closed / fleet.reporting, reopened: closed > 0 ? reopened / closed : 0 };
}

/** The terminal's shop: how many terminals it has and how many of them are silent (a terminal without a merchant is a shop of one). */
function shopOf(fleet: FleetBaseline, merchant: string | undefined): Pick<Silence, 'merchantTerminals' | 'merchantSilent'> {
  const m = merchant ? fleet.merchants.get(merchant) : undefined;
  return { merchantTerminals: m?.terminals ?? 1, merchantSilent: m?.silent ?? 1 };
}

/**
 * A registered terminal never heard from while the feed has run for more than a day and the
 * fleet reports: every shop has had a working day in that time, so it is not just closed.
 */
function neverHeard(fleet: FleetBaseline, merchant: string | undefined, nowMs: number): Silence | undefined {
  const silentMs = nowMs - fleet.observedFrom;
  if (fleet.observedFrom <= 0 || silentMs < NEVER_HEARD_MS || fleet.reporting < 20) return undefined;
  const { merchantTerminals, merchantSilent } = shopOf(fleet, merchant);
  // a shop none of whose terminals ever talked may be shut for a while: not a network fault to report
  if (merchantTerminals > 1 && merchantSilent >= merchantTerminals) return undefined;
  return { silentMs, lastSeen: fleet.observedFrom, expected: 0.6, observedHours: 0, activeHours: 0, merchantSilent, merchantTerminals };
}

/** How long a silence must last to count as a couple of missed heartbeats of this terminal. */
export function missedHeartbeatsMs(s: TerminalState): number {
  return Math.max(FAST_MIN_MS, FAST_GAPS * s.hbGap * 1000);
}

/**
 * A short silence (a couple of missed heartbeats) in the middle of the terminal's business day:
 * the day before it was active in every hour from the one it went quiet in to two hours after
 * now, so neither closing time nor an early closing explains it. In a shop with other terminals,
 * they must still be talking after it went quiet (a whole shop going quiet is closing or power).
 */
function missedHeartbeats(s: TerminalState, fleet: FleetBaseline, merchant: string | undefined, nowMs: number, merchantLastSeen: number): Silence | undefined {
  const silentMs = nowMs - s.lastArrival;
  // in a thin feed the arrival estimate lags the devices: trust the device's own time when it is later
  const lead = Math.min(Math.max(s.lastSkew, 0), FAST_LEAD_MAX_MS);
  if (s.hbGap <= 0 || silentMs - lead < missedHeartbeatsMs(s)) return undefined;
  const fromHour = Math.floor(s.lastArrival / HOUR);
  const toHour = Math.floor(nowMs / HOUR) + FAST_OPEN_AHEAD;
  const [observedHours, activeHours] = activeDayBefore(s, fleet, fromHour, toHour);
  if (observedHours < toHour - fromHour + 1 || activeHours < observedHours) return undefined;
  const { merchantTerminals, merchantSilent } = shopOf(fleet, merchant);
  if (merchantTerminals > 1 && merchantLastSeen - s.lastArrival < silentMs / 2) return undefined;
  return { silentMs, lastSeen: s.lastArrival, expected: FAST_EXPECTED, observedHours, activeHours, merchantSilent, merchantTerminals };
}

/** Undefined when the terminal is not silent. */
export function silence(s: TerminalState, fleet: FleetBaseline, merchant: string | undefined, nowMs: number, merchantLastSeen = 0): Silence | undefined {
  if (s.lastArrival === 0) return neverHeard(fleet, merchant, nowMs);
  const silentMs = nowMs - s.lastArrival;
  const minMs = Math.max(OFFLINE_MIN_MS, GAPS * s.hbGap * 1000);
  if (silentMs < minMs) return missedHeartbeats(s, fleet, merchant, nowMs, merchantLastSeen);
  const fromHour = Math.floor(s.lastArrival / HOUR) + 1;
  const toHour = Math.floor(nowMs / HOUR);
  const [observedHours, activeHours] = silentMs >= 24 * HOUR ? [24, 24] : activeDayBefore(s, fleet, fromHour, toHour);
  const { merchantTerminals, merchantSilent } = shopOf(fleet, merchant);
  let expected: number;
  let closingShare: number | undefined;
  let closing = false;
  if (observedHours >= 2) expected = activeHours / observedHours;
  else {
    const beyond = silentMs - minMs + OFFLINE_MIN_MS;
    expected = beyond >= 4 * HOUR ? 0.75 : beyond >= 3 * HOUR ? 0.6 : 0.3;
    const quiet = quietShare(fleet, s.lastArrival);
    closingShare = quiet.share;
    // it went quiet at closing time, and its shop is not late yet: most that closed with it are still closed
    closing = closingShare >= CLOSING_SHARE && quiet.reopened < REOPENED_LATE;
    if (closing) expected = Math.min(expected, 0.3);
  }
  // the shop's other terminals worked on for hours after this one went quiet: it was not closing time
  const peersWorkedSince = merchantLastSeen - s.lastArrival >= PEERS_WORKED_MS;
  // at the fleet's closing time a peer heard since proves nothing: an always-on terminal of the shop
  // talks all night, and in the morning one counter is switched on before the others
  const peerTalks = merchantTerminals > 1 && !closing && (merchantSilent < merchantTerminals || peersWorkedSince);
  if (peerTalks) expected = Math.min(1, expected + 0.25);
  // every terminal of a shop going quiet together is the shop closing, not a network fault
  else if (merchantTerminals > 1) expected = Math.min(expected, 0.3);
  // nothing says the shop is open: a short silence may be an early closing
  else if (silentMs < EARLY_CLOSE_MS) expected = Math.min(expected, NOT_EXPECTED);
  return { silentMs, lastSeen: s.lastArrival, expected, observedHours, activeHours, merchantSilent, merchantTerminals, closingShare };
}
