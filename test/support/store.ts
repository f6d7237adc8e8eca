// Store tests run on both kinds of store: write a test once with forEachStore() and it is
// registered twice, "[pglite]" and "[postgres]".
//
// Isolation: each test gets a store of its own.
// - postgres: a fresh schema `posops_t_<unix seconds>_<random>` in the test database, migrated on
//   open and dropped afterwards (schemas left by a killed run are dropped after an hour).
// - pglite: one PGlite per test file (a copy of a migrated template data folder: initdb takes
//   seconds, copying and reopening a fraction of that; the template lives in the OS temp folder,
//   keyed by a hash of the migration files, shared by concurrent test processes), and a fresh
//   schema per test on it, migrated and dropped like on the server. Tests of one file run one
//   after another (node's default), which the shared single connection needs.
//   openTestStore('pglite') instead gives a data folder of its own (for lock and reopen tests).
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { isPosopsError, type CauseCode, type Diagnosis, type RegistryTerminal } from '../../src/domain/index.ts';
import { migrate, openStore, type Store, type TerminalStateRow } from '../../src/store/index.ts';

export const TEST_DATABASE_URL = process.env.POSOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_UNREACHABLE =
  'PostgreSQL is not reachable at 127.0.0.1:5432 — start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export type StoreKind = 'pglite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['pglite', 'postgres'];

export interface TestStore {
  store: Store;
  /** pglite: the data folder; postgres: the schema. */
  where: string;
  /** Closes the store and removes everything it wrote. */
  dispose(): Promise<void>;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) hash.update(name).update(readFileSync(join(MIGRATIONS_DIR, name)));
  return hash.digest('hex').slice(0, 16);
}

let template: Promise<string> | undefined;

/** A migrated, closed PGlite data folder to copy from. */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const path = join(tmpdir(), `posops-pglite-template-${migrationsHash()}`);
    if (existsSync(join(path, 'pg', 'PG_VERSION'))) return path;
    const building = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const store = await openStore({ dataDir: building });
    await store.close();
    try {
      renameSync(building, path);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process finished first
    }
    return path;
  })();
  return template;
}

async function openPglite(): Promise<TestStore> {
  const from = await pgliteTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'posops-store-'));
  cpSync(from, dir, { recursive: true });
  const store = await openStore({ dataDir: dir });
  return {
    store,
    where: dir,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let shared: Promise<TestStore> | undefined;
after(async () => {
  if (shared) await (await shared).dispose();
});

/** A schema of its own on this file's shared PGlite. */
async function openPgliteSchema(): Promise<TestStore> {
  shared ??= openPglite();
  const { store: base } = await shared;
  const schema = `t_${randomBytes(4).toString('hex')}`;
  await sql`create schema ${sql.id(schema)}`.execute(base.db);
  await sql.raw(`set search_path to "${schema}"`).execute(base.db);
  await migrate(base.db, schema);
  const store: Store = { db: base.db, kind: 'pglite', close: async () => undefined };
  return {
    store,
    where: schema,
    dispose: async () => {
      await sql.raw(`set search_path to public`).execute(base.db);
      await sql`drop schema ${sql.id(schema)} cascade`.execute(base.db);
    },
  };
}

let swept = false;

async function dropOldSchemas(store: Store): Promise<void> {
  if (swept) return;
  swept = true;
  const hourAgo = Math.floor(Date.now() / 1000) - 3600;
  const { rows } = await sql<{ nspname: string }>`select nspname from pg_namespace where nspname like 'posops_t_%'`.execute(store.db);
  for (const { nspname } of rows) {
    const born = Number(nspname.split('_')[2]);
    if (Number.isFinite(born) && born < hourAgo) await sql`drop schema if exists ${sql.id(nspname)} cascade`.execute(store.db);
  }
}

async function openPostgres(): Promise<TestStore> {
  const schema = `posops_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
  let store: Store;
  try {
    store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
  } catch (err) {
    if (isPosopsError(err, 'STORE_UNAVAILABLE') && err.message.includes('not reachable')) {
      throw new Error(`${POSTGRES_UNREACHABLE}\n(${err.message})`);
    }
    throw err;
  }
  await dropOldSchemas(store);
  return {
    store,
    where: schema,
    dispose: async () => {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      } finally {
        await store.close();
      }
    },
  };
}

/** A fresh, migrated store of the given kind; call dispose() when done. */
export function openTestStore(kind: StoreKind): Promise<TestStore> {
  return kind === 'pglite' ? openPglite() : openPostgres();
}

/** Runs `fn` with a fresh store (pglite: a fresh schema on the file's PGlite); disposed afterwards, pass or fail. */
export async function withTestStore<T>(kind: StoreKind, fn: (store: Store) => Promise<T>): Promise<T> {
  const t = kind === 'pglite' ? await openPgliteSchema() : await openPostgres();
  try {
    return await fn(t.store);
  } finally {
    await t.dispose();
  }
}

/** Registers `name [pglite]` and `name [postgres]`, each with a fresh store. */
export function forEachStore(name: string, fn: (store: Store, kind: StoreKind) => Promise<void>, opts: { timeout?: number } = {}): void {
  for (const kind of STORE_KINDS) {
    test(`${name} [${kind}]`, { timeout: opts.timeout ?? 60_000 }, () => withTestStore(kind, (store) => fn(store, kind)));
  }
}

// Data builders for store tests.

let serial = 0;

export function registryTerminal(over: Partial<RegistryTerminal> = {}): RegistryTerminal {
  serial += 1;
  return { terminal: `T${String(serial).padStart(7, '0')}`, merchant: 'M001', model: 'A920', region: 'Hangzhou', carrier: 'CMCC', ...over };
}

export function diagnosis(cause: CauseCode, over: Partial<Diagnosis> = {}): Diagnosis {
  return { cause, confidence: 0.9, since: '2026-11-20T09:00:00Z', evidence: [`${cause} evidence`], remedy: ['do this'], ...over };
}

export function terminalState(terminal: string, over: Partial<TerminalStateRow> = {}): TerminalStateRow {
  return { terminal, status: 'ok', diagnoses: [], updated_at: '2026-11-20T18:00:00Z', ...over };
}
