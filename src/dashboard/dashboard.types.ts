// What the dashboard needs from the rest of posops (DashboardDeps) and the shapes its routes answer with.

import type { FastifyRequest } from 'fastify';
import type { CauseCode, Category, Diagnosis, DiagnosisReport, PosEvent, Registry, TerminalStatus } from '../domain/index.ts';
import type { EventLog } from '../log/index.ts';

/** Who is asking: operations staff see the fleet (of their tenant); a merchant sees only its own terminals. */
export interface DashboardCaller {
  role: string;
  id?: string;
  merchant?: string;
  tenant?: string;
}

/** A small key-value store (the store's kv table) where the dashboard keeps its status-count history. */
export interface DashboardKv {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface DashboardDeps {
  /** The whole current diagnosis (spec/causes.md object), e.g. `() => engine.diagnose(now())`. */
  diagnosis(): DiagnosisReport | Promise<DiagnosisReport>;
  /** The current fleet registry. */
  registry(): Registry | Promise<Registry>;
  now(): number;
  /** Tells the dashboard that diagnoses may have changed (it re-reads `diagnosis()`, at most once a second). */
  subscribe?(listener: (changes?: readonly unknown[]) => void): () => void;
  /** Accepted events in log order (e.g. `ingestor.onEvent`): feeds terminal charts, timelines and versions. */
  events?(listener: (event: PosEvent, offset?: number) => void): () => void;
  /** The event log behind events(): at start the dashboard rebuilds the last 48 h of terminal series from it
   *  in the background (events() only delivers what arrives after the start). Needs events() offsets. */
  log?: Pick<EventLog, 'read' | 'nextOffset'>;
  /** Overrides the dashboard's own in-memory series for one terminal. */
  terminalSeries?(terminal: string): TerminalSeries | undefined | Promise<TerminalSeries | undefined>;
  /** Maps a request to its caller; default reads `request.principal` (src/server/auth-hook.ts). */
  caller?(request: FastifyRequest): DashboardCaller | undefined;
  kv?: DashboardKv;
  /** How often diagnosis() is re-read without a subscribe() nudge (default 15 s). */
  refreshMs?: number;
  /** How often the registry is re-read (imports, renewals; default 5 min). `Dashboard.reloadRegistry()` does it at once. */
  registryRefreshMs?: number;
  /** How often status counts are sampled for the 24 h / 7 day chart (default 5 min). */
  sampleMs?: number;
}

export interface TerminalEntry {
  terminal: string;
  status: TerminalStatus;
  cause?: CauseCode;
  category?: Category;
  causes: CauseCode[];
  confidence?: number;
  since?: string;
  diagnoses: Diagnosis[];
  incident?: string;
  merchant?: string;
  model?: string;
  region?: string;
  carrier?: string;
  host?: string;
  sim_expires?: string;
  lease_expires?: string;
  installed?: string;
  version?: string;
}

export interface TerminalListQuery {
  status?: string[];
  cause?: string[];
  category?: string[];
  model?: string[];
  region?: string[];
  carrier?: string[];
  merchant?: string;
  version?: string;
  search?: string;
  incident?: string;
  sort?: string;
  order?: 'asc' | 'desc';
  offset?: number;
  limit?: number;
}

export interface SeriesPoint {
  t: number;
  rssi?: number;
  rtt?: number;
  battery?: number;
  temp?: number;
  txns: number;
  readFail: Record<string, number>;
  declines: Record<string, number>;
}

export interface TimelineEntry {
  ts: string;
  type: PosEvent['type'];
  text: string;
  level: 'info' | 'warn' | 'error';
}

export interface TerminalSeries {
  bucketMs: number;
  points: SeriesPoint[];
  events: TimelineEntry[];
  versions?: { firmware?: string; app?: string };
  apps?: string[];
}

export interface StatusSample {
  t: number;
  ok: number;
  degraded: number;
  faulty: number;
  offline: number;
  locked: number;
  /** Reconstructed from the `since` of current diagnoses, before the server had samples of its own. */
  estimated?: boolean;
}

export interface IncidentTimelineEntry {
  at: string;
  kind: 'opened' | 'joined' | 'left' | 'closed';
  terminals: string[];
  count: number;
}

export interface TrackedIncident {
  id: string;
  cause: CauseCode;
  scope: Record<string, string | string[]>;
  terminals: string[];
  since: string;
  open: boolean;
  closedAt?: string;
  evidence?: string[];
  evidence_zh?: string[];
  timeline: IncidentTimelineEntry[];
}

/** One live message of GET /api/v1/stream. */
export type LiveMessage =
  | { type: 'diagnosis'; at: string; terminals: { terminal: string; status: TerminalStatus; cause?: CauseCode; merchant?: string }[]; more: number }
  | { type: 'incident'; at: string; incident: { id: string; cause: CauseCode; open: boolean; count: number; kind: 'opened' | 'changed' | 'closed' } };
