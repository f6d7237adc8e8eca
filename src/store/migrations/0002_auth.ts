// Who may see and do what: tenants (acquirer → agents → sub-agents), users, login sessions, API
// tokens, terminal credentials, persistent terminal locks, in-app notifications and the
// hash-chained audit log. Written against Kysely<any> (frozen in time, like every migration).
import { sql, type Kysely } from 'kysely';

const id = sql`text collate "C"`;

async function createPeopleTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('tenant', id, (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('parent', id)
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('tenants_parent_idx').on('tenants').column('parent').execute();
  await db.schema
    .createTable('users')
    .addColumn('username', id, (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'ops', 'technician', 'merchant', 'auditor')`))
    .addColumn('tenant', id)
    .addColumn('merchant', id)
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', id, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('sessions_username_idx').on('sessions').column('username').execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('tenant', id)
    .addColumn('created_by', id, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}

async function createTerminalTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('terminal_credentials')
    .addColumn('terminal', id, (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('terminal_locks')
    .addColumn('terminal', id, (c) => c.primaryKey())
    .addColumn('locked_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('tenant', id)
    .addColumn('terminal', id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('read_at', 'timestamptz')
    .execute();
  await sql`create index notifications_tenant_idx on notifications (tenant, at desc)`.execute(db);
}

async function createAuditTable(db: Kysely<any>): Promise<void> {
  // before/after are kept as the exact JSON text that was hashed, so the chain verifies byte for byte
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('tenant', id)
    .addColumn('address', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`create index audit_log_at_idx on audit_log (at desc)`.execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await createPeopleTables(db);
  await createTerminalTables(db);
  await createAuditTable(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'notifications', 'terminal_locks', 'terminal_credentials', 'api_tokens', 'sessions', 'users', 'tenants']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
