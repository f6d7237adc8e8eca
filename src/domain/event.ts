// Event format version 1 — the contract of spec/events.md as TypeScript types.

export const EVENT_TYPES = ['heartbeat', 'txn', 'error', 'boot', 'update', 'report'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const NET_TYPES = ['ethernet', 'wifi', '5g', '4g', '3g', '2g'] as const;
export type NetType = (typeof NET_TYPES)[number];

export const PRINTER_STATES = ['ok', 'paper_out', 'cover_open', 'overheat', 'fault', 'none'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export const SELF_TEST = ['ok', 'fault'] as const;
export type SelfTest = (typeof SELF_TEST)[number];

export const ENTRY_MODES = ['chip', 'contactless', 'swipe', 'fallback', 'manual', 'qr'] as const;
export type EntryMode = (typeof ENTRY_MODES)[number];

export const MTIS = ['0100', '0200', '0400'] as const;
export type Mti = (typeof MTIS)[number];

export const BOOT_REASONS = ['power_on', 'user', 'watchdog', 'crash', 'update', 'low_battery', 'remote'] as const;
export type BootReason = (typeof BOOT_REASONS)[number];

export const UPDATE_COMPONENTS = ['firmware', 'app'] as const;
export const UPDATE_STATUSES = ['downloading', 'installed', 'failed', 'rolled_back'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

export const SYMPTOMS = [
  'screen_blank',
  'keys_unresponsive',
  'card_not_read',
  'no_network',
  'cannot_print',
  'declined',
  'slow',
  'wont_power_on',
  'other',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export const REPORT_CHANNELS = ['wizard', 'phone', 'field'] as const;

export const KNOWN_ERROR_CODES = [
  'APP_CRASH',
  'APP_ANR',
  'CARD_READ_FAIL',
  'PRINTER_ERROR',
  'NET_CONNECT_FAIL',
  'DNS_FAIL',
  'TLS_FAIL',
  'HOST_TIMEOUT',
  'KEY_ERROR',
  'STORAGE_FULL',
  'CLOCK_ERROR',
] as const;

interface Envelope {
  v: 1;
  id: string;
  terminal: string;
  /** RFC 3339 as sent by the device. */
  ts: string;
  /** `ts` parsed to epoch milliseconds by the validator. */
  tsMs: number;
  [extra: string]: unknown;
}

export interface HeartbeatEvent extends Envelope {
  type: 'heartbeat';
  net?: {
    type?: NetType;
    carrier?: string;
    rssi_dbm?: number;
    host_rtt_ms?: number;
    dns_ok?: boolean;
  };
  battery?: { level_pct?: number; charging?: boolean; health_pct?: number };
  env?: { temp_c?: number; humidity_pct?: number };
  mem_free_mb?: number;
  storage_free_mb?: number;
  versions?: { firmware?: string; app?: string };
  apps?: string[];
  printer?: PrinterState;
  reader?: { chip?: SelfTest; contactless?: SelfTest; magstripe?: SelfTest };
  screen?: SelfTest;
  keypad?: SelfTest;
  tamper?: boolean;
  uptime_s?: number;
}

export interface TxnEvent extends Envelope {
  type: 'txn';
  mti?: Mti;
  stan?: string | number;
  entry?: EntryMode;
  amount?: number;
  currency?: string;
  rc?: string | null;
  timeout?: boolean;
  latency_ms?: number;
  operator?: string;
  bin?: string;
  merchant?: string;
}

export interface ErrorEvent extends Envelope {
  type: 'error';
  code: string;
  entry?: EntryMode;
  app?: string;
  operator?: string;
  message?: string;
}

export interface BootEvent extends Envelope {
  type: 'boot';
  reason?: BootReason;
}

export interface UpdateEvent extends Envelope {
  type: 'update';
  component?: 'firmware' | 'app';
  from?: string;
  to?: string;
  status?: UpdateStatus;
  reason?: string;
  campaign?: string;
}

export interface ReportEvent extends Envelope {
  type: 'report';
  symptom?: Symptom;
  text?: string;
  channel?: 'wizard' | 'phone' | 'field';
}

export type PosEvent = HeartbeatEvent | TxnEvent | ErrorEvent | BootEvent | UpdateEvent | ReportEvent;
