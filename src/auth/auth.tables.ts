// The auth tables (migration src/store/migrations/0002_auth.ts) as Kysely sees them. The store's
// Database interface does not know them; `authDb(store)` widens the store's Kysely handle.
import type { ColumnType, Generated, Kysely } from 'kysely';
import type { Database, Store } from '../store/index.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface TenantTable {
  tenant: string;
  name: string | null;
  parent: string | null;
  created_at: Stamp;
}

export interface UserTable {
  username: string;
  role: string;
  tenant: string | null;
  merchant: string | null;
  password_hash: string;
  disabled: ColumnType<boolean, boolean | undefined, boolean>;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: Timestamp | null;
  created_at: Stamp;
  updated_at: Stamp;
}

export interface SessionTable {
  token_hash: string;
  username: string;
  created_at: Stamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  token_hash: string;
  scopes: Json<string[]>;
  tenant: string | null;
  created_by: string;
  created_at: Stamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface TerminalCredentialTable {
  terminal: string;
  secret_hash: string;
  created_at: Stamp;
}

export interface TerminalLockTable {
  terminal: string;
  locked_at: Timestamp;
  reason: string;
}

export interface NotificationTable {
  id: Generated<number>;
  at: Timestamp;
  tenant: string | null;
  terminal: string | null;
  kind: string;
  message: string;
  read_at: Timestamp | null;
}

export interface AuditTable {
  seq: number;
  at: Timestamp;
  actor: string;
  actor_kind: string;
  tenant: string | null;
  address: string | null;
  action: string;
  target: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

export type AuthTables = {
  tenants: TenantTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  terminal_credentials: TerminalCredentialTable;
  terminal_locks: TerminalLockTable;
  notifications: NotificationTable;
  audit_log: AuditTable;
};

export type AuthDb = Kysely<Database & AuthTables>;

export function authDb(store: Store): AuthDb {
  return store.db.withTables<AuthTables>();
}
