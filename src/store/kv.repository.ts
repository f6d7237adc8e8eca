// A small key-value table: engine snapshots, log offsets, the first-admin flag.
import { sql } from 'kysely';
import type { Store } from './store.ts';

/** The value stored under `key`, or undefined. */
export async function getKv<T = unknown>(store: Store, key: string): Promise<T | undefined> {
  const row = await store.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : undefined;
}

/** Stores any JSON-serializable value under `key`, replacing what was there. */
export async function setKv(store: Store, key: string, value: unknown): Promise<void> {
  if (value === undefined) throw new TypeError(`setKv(${key}): value must not be undefined (use deleteKv)`);
  await store.db
    .insertInto('kv')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: sql<Date>`now()` })))
    .execute();
}

export async function deleteKv(store: Store, key: string): Promise<boolean> {
  const result = await store.db.deleteFrom('kv').where('key', '=', key).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
