// The tables of the posops schema, as Kysely sees them. Migrations in ./migrations create them;
// a new migration that adds a table adds its interface here and to `Database`.
import type { ColumnType, Generated } from 'kysely';

/** timestamptz: written as Date or RFC 3339 text, read as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** timestamptz with a default of now(). */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as JSON text (both drivers then agree), read as the parsed value. */
type Json<T> = ColumnType<T, string, string>;
/** date: read as 'YYYY-MM-DD' (both drivers are told not to turn it into a Date). */
type DateText = ColumnType<string, string, string>;

export interface TerminalTable {
  terminal: string;
  merchant: string | null;
  model: string | null;
  region: string | null;
  carrier: string | null;
  host: string | null;
  sim_expires: DateText | null;
  lease_expires: DateText | null;
  installed: DateText | null;
  /** The acquirer or agent whose fleet it belongs to (set by the fleet/auth parts, not by the registry). */
  tenant: string | null;
  /** scrypt hash of the terminal's own credential (set by the auth part). */
  secret_hash: string | null;
  updated_at: Stamp;
}

export interface MerchantTable {
  merchant: string;
  name: string | null;
  fee_rate: number | null;
  daily_limit: number | null;
  tenant: string | null;
  updated_at: Stamp;
}

export interface ModelTable {
  model: string;
  vendor: string | null;
  min_firmware: string | null;
  min_app: string | null;
}

export interface MaintenanceWindowTable {
  id: Generated<number>;
  start_at: Timestamp;
  end_at: Timestamp;
  host: string | null;
  note: string | null;
}

export interface TerminalStateTable {
  terminal: string;
  status: string;
  /** Index of status in STATUS_SEVERITY (locked=0, offline, faulty, degraded, ok=4): sorts worst first ascending. */
  status_rank: number;
  main_cause: string | null;
  category: string | null;
  diagnoses: Json<unknown[]>;
  updated_at: Timestamp;
  /** Copied from terminals so the terminals table filters on one table's indexes. */
  merchant: string | null;
  model: string | null;
  region: string | null;
  carrier: string | null;
}

export interface DiagnosisHistoryTable {
  id: Generated<number>;
  terminal: string;
  cause: string;
  kind: 'opened' | 'updated' | 'cleared';
  at: Timestamp;
  diagnosis: Json<unknown> | null;
}

export interface IncidentTable {
  id: string;
  cause: string;
  scope: Json<Record<string, string | string[]>>;
  terminals: Json<string[]>;
  since: Timestamp;
  resolved_at: Timestamp | null;
  status: 'open' | 'resolved';
  evidence: Json<string[]>;
  evidence_zh: Json<string[]>;
  updated_at: Stamp;
}

export interface IncidentHistoryTable {
  id: Generated<number>;
  incident: string;
  kind: 'opened' | 'joined' | 'left' | 'resolved';
  terminal: string | null;
  at: Timestamp;
}

export interface KvTable {
  key: string;
  value: Json<unknown>;
  updated_at: Stamp;
}

export interface Database {
  terminals: TerminalTable;
  merchants: MerchantTable;
  models: ModelTable;
  maintenance_windows: MaintenanceWindowTable;
  terminal_state: TerminalStateTable;
  diagnosis_history: DiagnosisHistoryTable;
  incidents: IncidentTable;
  incident_history: IncidentHistoryTable;
  kv: KvTable;
}
