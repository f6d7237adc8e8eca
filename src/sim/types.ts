// Shared types of the virtual fleet: terminal profiles, the fault plan, scenarios and SimFleet.
import type { CauseCode, Registry } from '../domain/index.ts';
import type { CarrierSpec, HostSpec, ModelSpec, RegionSpec, ShopType } from './world.ts';

export type Bearer = '4g' | 'wifi' | 'ethernet';
export type Magnitude = 'obvious' | 'subtle';

/** What never changes about one simulated terminal. */
export interface TerminalProfile {
  index: number;
  id: string;
  merchant: string;
  shop: ShopType;
  model: ModelSpec;
  region: RegionSpec;
  carrier: CarrierSpec;
  bearer: Bearer;
  host: HostSpec;
  /** Local (UTC+8) opening minute and closing minute (1440 = midnight; 0..1440 = open 24 h). */
  openMin: number;
  closeMin: number;
  /** Switched off outside opening hours. */
  nightOff: boolean;
  operators: string[];
  /** Mean transactions per open hour. */
  rate: number;
  firmware: string;
  app: string;
  apps: string[];
  /** Small device clock offset (ms), usually 0. */
  clockOffsetMs: number;
  /** Sends 8-digit BINs. */
  longBin: boolean;
  seed: number;
}

/** One fault on one terminal, with its time span. Incident members carry `incident`. */
export interface PlannedFault {
  terminal: string;
  cause: CauseCode;
  from: number;
  /** End (exclusive); absent = still active at the end of the run. */
  to?: number;
  magnitude: Magnitude;
  /** Operator for op.* faults. */
  operator?: string;
  /** Index into SimFleet.incidents. */
  incident?: number;
  /** Set for trouble that ends before the end of the run (truth "transients"). */
  transient?: string;
  /** Extra detail, e.g. the conflicting app or the announced flag. */
  detail?: string;
  /** acct.limit_exceeded: the merchant's daily limit (plan.limit.ts), same unit as a payment's amount. */
  dailyLimit?: number;
}

export interface PlannedIncident {
  cause: CauseCode;
  scope: Record<string, string>;
  from: number;
  to?: number;
  magnitude: Magnitude;
  note: string;
  /** provider.issuer_down: the 6-digit BINs that answer 91. */
  bins?: string[];
  /** provider.issuer_down: terminals whose next card after the start is one of `bins`. */
  witnesses?: string[];
  /** provider.maintenance: announced in the registry's maintenance list. */
  announced?: boolean;
}

/** One software installation a campaign sends to one terminal. */
export interface PlannedInstall {
  terminal: string;
  campaign: string;
  component: 'firmware' | 'app';
  to: string;
  at: number;
  /** installed; failed (then retried and installed); or failing (sw.update_failed: never installs). */
  outcome: 'installed' | 'retried' | 'failing';
  /** The version breaks this terminal (sw.incompatible_update). */
  bad: boolean;
}

export interface ScenarioFault {
  at: string;
  cause: string;
  terminal?: string;
  scope?: Record<string, string>;
  duration?: string;
  magnitude?: Magnitude;
  operator?: string;
  /** provider.maintenance: whether the window is in the registry (default true). */
  announced?: boolean;
}

export interface Scenario {
  start?: string;
  days?: number;
  terminals?: number;
  seed?: number;
  /** Add the random mix of faults as well as the scripted ones (default false when faults are given). */
  random?: boolean;
  faults?: ScenarioFault[];
  /** 1-based line number in the file of each fault, when known (for error messages). */
  faultLines?: number[];
}

export interface SimFleet {
  seed: number;
  start: number;
  end: number;
  registry: Registry;
  profiles: TerminalProfile[];
  faults: PlannedFault[];
  incidents: PlannedIncident[];
  installs: PlannedInstall[];
  /** Firmware/app versions that break a model, for live `update` commands. */
  badVersions: { model: string; component: 'firmware' | 'app'; version: string; campaign: string }[];
}
