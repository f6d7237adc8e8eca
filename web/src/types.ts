// Shapes of the dashboard API answers (src/dashboard).

// The server's own types, shared so that the two sides cannot drift apart (type-only: nothing of the server is bundled).
import type { Diagnosis } from '../../src/domain/diagnosis.ts';
import type { SeriesPoint } from '../../src/dashboard/dashboard.types.ts';
export type { Diagnosis, SeriesPoint };

export type Status = 'ok' | 'degraded' | 'faulty' | 'offline' | 'locked';
export const STATUSES: Status[] = ['ok', 'degraded', 'faulty', 'offline', 'locked'];

export interface CauseInfo {
  code: string;
  category: string;
  name: Record<'zh-CN' | 'en', string>;
  status: Status;
  needsWorkOrder: boolean;
  external: boolean;
  remedy: Record<'zh-CN' | 'en', string[]>;
}

export interface Catalogue {
  categories: Record<string, Record<'zh-CN' | 'en', string>>;
  causes: CauseInfo[];
}

export interface Me {
  role: string;
  id?: string;
  merchant?: string;
  merchantName?: string;
}

export interface StatusSample extends Record<Status, number> {
  t: number;
  estimated?: boolean;
}

export interface IncidentSummary {
  id: string;
  cause: string;
  scope: Record<string, string | string[]>;
  count: number;
  since: string;
  open: boolean;
  closedAt?: string;
}

export interface TroubleRow {
  name: string;
  degraded: number;
  faulty: number;
  offline: number;
  locked: number;
  total: number;
}

export interface Overview {
  at: string;
  total: number;
  byStatus: Record<Status, number>;
  byCategory: { category: string; count: number }[];
  byCause: { cause: string; count: number }[];
  history: { day: StatusSample[]; week: StatusSample[] };
  incidents: { open: number; items: IncidentSummary[] };
  byRegion: TroubleRow[];
  byModel: TroubleRow[];
  contracts: { total: number; items: { terminal: string; kind: 'sim' | 'lease'; expires: string; merchant?: string; region?: string }[] };
}

export interface TerminalRow {
  terminal: string;
  status: Status;
  cause?: string;
  category?: string;
  confidence?: number;
  since?: string;
  merchant?: string;
  merchantName?: string;
  model?: string;
  region?: string;
  carrier?: string;
  version?: string;
  incident?: string;
}

export interface Profile {
  terminal: string;
  status: Status;
  diagnoses: Diagnosis[];
  facts: Record<string, string | string[] | undefined>;
  incident?: IncidentSummary;
}

export interface Series {
  bucketMs: number;
  points: SeriesPoint[];
  events: { ts: string; type: string; text: string; level: 'info' | 'warn' | 'error' }[];
}

export interface IncidentDetail extends IncidentSummary {
  evidence?: string[];
  evidence_zh?: string[];
  timeline: { at: string; kind: 'opened' | 'joined' | 'left' | 'closed'; terminals: string[]; count: number }[];
  terminals: { terminal: string; status?: Status; merchant?: string; region?: string; model?: string; carrier?: string }[];
}
