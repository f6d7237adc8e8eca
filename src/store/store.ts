// Opening the store: PGlite in `${dataDir}/pg` (embedded default) or a PostgreSQL server
// (`databaseUrl`). Either way the same schema, migrated on open, behind one Kysely instance.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationResult } from 'kysely';
import pg from 'pg';
import { PosopsError } from '../domain/index.ts';
import type { Database } from './database.ts';
import { lockDataFolder } from './lock.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { PgliteDialect } from './pglite-dialect.ts';

export interface Store {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Embedded PGlite in `${dataDir}/pg`, locked to this process. */
  dataDir?: string;
  /** A PostgreSQL server; wins over dataDir. */
  databaseUrl?: string;
  /** Put every table in this schema (created when missing); used by tests. */
  schema?: string;
  /** Connections in the server pool (default 10). */
  poolSize?: number;
}

const SCHEMA_RE = /^[a-z_][a-z0-9_]{0,62}$/;
const OID = { int8: 20, date: 1082 } as const;
const identity = (v: string): string => v;

export async function openStore(opts: StoreOptions): Promise<Store> {
  if (opts.schema !== undefined && !SCHEMA_RE.test(opts.schema)) {
    throw new PosopsError('CONFIG_INVALID', `schema must be lower-case letters, digits and _ (got "${opts.schema}")`);
  }
  if (opts.databaseUrl) return openServerStore(opts.databaseUrl, opts.schema, opts.poolSize ?? 10);
  if (opts.dataDir) return openEmbeddedStore(opts.dataDir, opts.schema);
  throw new PosopsError('CONFIG_INVALID', 'the store needs a data folder (--data) or a PostgreSQL URL (--database-url)');
}

async function openEmbeddedStore(dataDir: string, schema: string | undefined): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataFolder(dataDir);
  let db: Kysely<Database> | undefined;
  try {
    const pglite = new PGlite(join(dataDir, 'pg'), {
      parsers: { [OID.int8]: (v: string) => Number(v), [OID.date]: identity },
    });
    await pglite.waitReady;
    if (schema) await pglite.exec(`create schema if not exists "${schema}"; set search_path to "${schema}"`);
    db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
    await migrate(db, schema ?? 'public');
  } catch (err) {
    await db?.destroy().catch(() => undefined);
    lock.release();
    throw err;
  }
  const opened = db;
  return {
    db: opened,
    kind: 'pglite',
    close: async () => {
      try {
        await opened.destroy();
      } finally {
        lock.release();
      }
    },
  };
}

function serverTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === OID.int8) return (v: string) => Number(v);
      if (oid === OID.date) return identity;
      return pg.types.getTypeParser(oid, format as 'text');
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

async function openServerStore(databaseUrl: string, schema: string | undefined, max: number): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max,
    types: serverTypes(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', () => undefined); // an idle client dropped by the server; the next query reconnects
  try {
    await pool.query(schema ? `create schema if not exists "${schema}"` : 'select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new PosopsError('STORE_UNAVAILABLE', `PostgreSQL is not reachable at ${describeUrl(databaseUrl)}: ${(err as Error).message}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db, schema ?? 'public');
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  return { db, kind: 'postgres', close: () => db.destroy() };
}

function describeUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the given --database-url';
  }
}

/** Brings the schema up to date; applying it again is a no-op. */
export async function migrate(db: Kysely<Database>, schema: string): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableSchema: schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new PosopsError('STORE_UNAVAILABLE', `the store migration ${failed} failed: ${(error as Error).message}`);
  }
  return results ?? [];
}

/** A trivial round trip: used by health checks and as the floor of the store bench. */
export async function pingStore(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

/**
 * Refreshes the planner's statistics. PGlite runs no autovacuum, so call this after a bulk load
 * (an import, a first replay); a server's autovacuum does it by itself, but it does no harm there.
 */
export async function analyzeStore(store: Store): Promise<void> {
  await sql`analyze`.execute(store.db);
}
