// The shape every detector shares: a small pure function over one terminal's state, the
// fleet baselines, the registry facts and `now`, returning candidate diagnoses.

import type { CauseCode, MaintenanceWindow, RegistryModel, RegistryTerminal } from '../../domain/index.ts';
import type { FleetBaseline } from '../fleet.ts';
import type { TerminalState } from '../state.ts';

export interface Candidate {
  cause: CauseCode;
  confidence: number;
  /** Epoch seconds. */
  since: number;
  evidence: string[];
  evidence_zh: string[];
}

export interface DetectorInput {
  terminal: string;
  state: TerminalState;
  registry: RegistryTerminal | undefined;
  model: RegistryModel | undefined;
  maintenance: readonly MaintenanceWindow[];
  fleet: FleetBaseline;
  /**
   * Evidence time (epoch s): the moment the terminal's counters are read at. It is the report
   * moment, or, for a terminal that has been silent a while (a shop closed before `at`), its last
   * event: a fault seen at closing time is still there, its evidence must not decay overnight.
   */
  now: number;
  /** The report moment (epoch s): for what depends on the wall clock (silence, contracts, windows). */
  at: number;
  /**
   * Evidence time (epoch s) for what transactions answer: `now`, or the terminal's last transaction
   * when that is older than EVIDENCE_HOLD_S — a terminal with no sale since (a shop closed for the
   * night, or switched on this morning and sending only heartbeats) has not shown its fault gone.
   */
  txnNow: number;
  /** Latest arrival (epoch ms) of any terminal of the same merchant, this one included. */
  merchantLastSeen?: number;
}

/** A silent terminal's evidence is read at its last event once it has been quiet this long (s). */
export const EVIDENCE_HOLD_S = 20 * 60;

/** The evidence time for a terminal last heard at `lastArrivalMs`, at the report moment `at` (s). */
export function evidenceTime(lastArrivalMs: number, at: number): number {
  if (lastArrivalMs <= 0) return at;
  const last = lastArrivalMs / 1000;
  return at - last > EVIDENCE_HOLD_S ? last : at;
}

/** The evidence time for transaction answers, given `now` and the last transaction (epoch s, 0: none). */
export function txnEvidenceTime(now: number, lastTxn: number): number {
  return lastTxn > 0 && now - lastTxn > EVIDENCE_HOLD_S ? lastTxn : now;
}

/** Shops run on China time (UTC+8): their business day, limits included, turns at midnight there. */
const SHOP_DAY_OFFSET_S = 8 * 3600;

/** The shop's business day (days since the epoch, China time) of epoch second `sec`. */
export function shopDay(sec: number): number {
  return Math.floor((sec + SHOP_DAY_OFFSET_S) / 86_400);
}

export interface Detector {
  family: string;
  detect(input: DetectorInput): Candidate[];
}

/** Builds a candidate from evidence pairs [English, 中文]. */
export function candidate(cause: CauseCode, confidence: number, since: number, evidence: [string, string][]): Candidate {
  return {
    cause,
    confidence: Math.max(0, Math.min(1, Math.round(confidence * 100) / 100)),
    since,
    evidence: evidence.map((e) => e[0]),
    evidence_zh: evidence.map((e) => e[1]),
  };
}

export const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
export const n1 = (x: number): string => String(Math.round(x * 10) / 10);
/** A count of events for a person to read: the engine's decayed counters are fractional, people count in whole events. */
export const count = (x: number): string => String(Math.round(x));
export const hours = (sec: number): string => `${Math.round(sec / 360) / 10} h`;
export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));
