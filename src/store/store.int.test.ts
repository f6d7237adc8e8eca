import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { sql } from 'kysely';
import { forEachStore, openTestStore, TEST_DATABASE_URL } from '../../test/support/store.ts';
import { isPosopsError } from '../domain/index.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { getKv, openStore, pingStore, setKv, type Store } from './index.ts';

async function appliedMigrations(store: Store): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(store.db);
  return rows.map((r) => r.name);
}

test('openStore() on a migrated PGlite folder applies nothing again and keeps the data', { timeout: 60_000 }, async () => {
  const first = await openTestStore('pglite');
  try {
    await setKv(first.store, 'k', { n: 1 });
    await first.store.close();
    const again = await openStore({ dataDir: first.where });
    try {
      assert.deepEqual(await appliedMigrations(again), Object.keys(MIGRATIONS));
      assert.deepEqual(await getKv(again, 'k'), { n: 1 });
    } finally {
      await again.close();
    }
  } finally {
    rmSync(first.where, { recursive: true, force: true });
  }
});

test('openStore() on a migrated PostgreSQL schema applies nothing again and keeps the data', async () => {
  const first = await openTestStore('postgres');
  try {
    await setKv(first.store, 'k', { n: 1 });
    const again = await openStore({ databaseUrl: TEST_DATABASE_URL, schema: first.where });
    try {
      assert.deepEqual(await appliedMigrations(again), Object.keys(MIGRATIONS));
      assert.deepEqual(await getKv(again, 'k'), { n: 1 });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = ${first.where}`.execute(again.db);
      assert.ok(rows[0]!.n >= 11, `tables live in the test schema (found ${rows[0]!.n})`);
    } finally {
      await again.close();
    }
  } finally {
    await first.dispose();
  }
});

test('openStore() names the server it cannot reach', async () => {
  const port = 1 + (randomBytes(2).readUInt16BE() % 1000); // a privileged port nothing listens on
  await assert.rejects(openStore({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/test` }), (err) => {
    assert.ok(isPosopsError(err, 'STORE_UNAVAILABLE'));
    assert.match(err.message, new RegExp(`PostgreSQL is not reachable at 127\\.0\\.0\\.1:${port}/test`));
    return true;
  });
});

test('openStore() refuses a schema name that is not a plain identifier', async () => {
  await assert.rejects(openStore({ databaseUrl: TEST_DATABASE_URL, schema: 'x"; drop' }), (err) => isPosopsError(err, 'CONFIG_INVALID'));
  await assert.rejects(openStore({}), (err) => isPosopsError(err, 'CONFIG_INVALID'));
});

forEachStore('a transaction on the store commits together or not at all', async (store) => {
  await pingStore(store);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('kv').values({ key: 'a', value: '1' }).execute();
    await trx.insertInto('kv').values({ key: 'b', value: '2' }).execute();
  });
  await assert.rejects(
    store.db.transaction().execute(async (trx) => {
      await trx.insertInto('kv').values({ key: 'c', value: '3' }).execute();
      await trx.insertInto('kv').values({ key: 'a', value: '4' }).execute(); // duplicate key
    }),
  );
  assert.deepEqual([await getKv(store, 'a'), await getKv(store, 'b'), await getKv(store, 'c')], [1, 2, undefined]);
});
