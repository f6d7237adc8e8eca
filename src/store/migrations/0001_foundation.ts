// The first schema: the registry, the latest state of every terminal, diagnosis history,
// incidents and a small key-value table. Written against Kysely<any>: a migration is frozen
// in time and must not follow later changes of the Database interface.
import { sql, type Kysely } from 'kysely';

/** Identifiers sort by code point on every server, whatever the database's locale. */
const id = sql`text collate "C"`;

async function createRegistryTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('terminals')
    .addColumn('terminal', id, (c) => c.primaryKey())
    .addColumn('merchant', id)
    .addColumn('model', id)
    .addColumn('region', id)
    .addColumn('carrier', id)
    .addColumn('host', id)
    .addColumn('sim_expires', 'date')
    .addColumn('lease_expires', 'date')
    .addColumn('installed', 'date')
    .addColumn('tenant', id)
    .addColumn('secret_hash', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  for (const column of ['merchant', 'tenant', 'sim_expires', 'lease_expires']) {
    await db.schema.createIndex(`terminals_${column}_idx`).on('terminals').column(column).execute();
  }
  await db.schema
    .createTable('merchants')
    .addColumn('merchant', id, (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('fee_rate', 'double precision')
    .addColumn('daily_limit', 'double precision')
    .addColumn('tenant', id)
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('merchants_tenant_idx').on('merchants').column('tenant').execute();
  await db.schema
    .createTable('models')
    .addColumn('model', id, (c) => c.primaryKey())
    .addColumn('vendor', 'text')
    .addColumn('min_firmware', 'text')
    .addColumn('min_app', 'text')
    .execute();
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('start_at', 'timestamptz', (c) => c.notNull())
    .addColumn('end_at', 'timestamptz', (c) => c.notNull())
    .addColumn('host', id)
    .addColumn('note', 'text')
    .execute();
  await sql`create unique index maintenance_windows_key on maintenance_windows (start_at, end_at, (coalesce(host, '')))`.execute(db);
}

async function createStateTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('terminal_state')
    .addColumn('terminal', id, (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_rank', 'smallint', (c) => c.notNull())
    .addColumn('main_cause', id)
    .addColumn('category', id)
    .addColumn('diagnoses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('merchant', id)
    .addColumn('model', id)
    .addColumn('region', id)
    .addColumn('carrier', id)
    .execute();
  // The terminals table pages worst first (status_rank, terminal) under one filter at a time, or
  // sorted by a column with the same tie-break; each filter/sort column leads an index that also
  // holds that order, so a page reads only the matching index range, in either direction.
  await sql`create index terminal_state_rank_idx on terminal_state (status_rank, terminal)`.execute(db);
  await sql`create index terminal_state_updated_idx on terminal_state (updated_at, terminal)`.execute(db);
  for (const column of ['main_cause', 'category', 'model', 'region', 'carrier', 'merchant']) {
    await sql`create index ${sql.raw(`terminal_state_${column}_idx`)} on terminal_state (${sql.ref(column)}, status_rank, terminal)`.execute(db);
  }
  await db.schema
    .createTable('diagnosis_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('terminal', id, (c) => c.notNull())
    .addColumn('cause', id, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opened', 'updated', 'cleared')`))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('diagnosis', 'jsonb')
    .execute();
  await sql`create index diagnosis_history_terminal_idx on diagnosis_history (terminal, at desc)`.execute(db);
  await sql`create index diagnosis_history_cause_idx on diagnosis_history (cause, at desc)`.execute(db);
}

async function createIncidentTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cause', id, (c) => c.notNull())
    .addColumn('scope', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('terminals', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('since', 'timestamptz', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('evidence', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('evidence_zh', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index incidents_status_idx on incidents (status, since desc)`.execute(db);
  await sql`create index incidents_terminals_idx on incidents using gin (terminals jsonb_path_ops)`.execute(db);
  await db.schema
    .createTable('incident_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('incident', id, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('opened', 'joined', 'left', 'resolved')`))
    .addColumn('terminal', id)
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create index incident_history_incident_idx on incident_history (incident, at)`.execute(db);
  await sql`create index incident_history_terminal_idx on incident_history (terminal, at desc)`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await createRegistryTables(db);
  await createStateTables(db);
  await createIncidentTables(db);
  await db.schema
    .createTable('kv')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['kv', 'incident_history', 'incidents', 'diagnosis_history', 'terminal_state', 'maintenance_windows', 'models', 'merchants', 'terminals']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
