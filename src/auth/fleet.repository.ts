// Tenants, the tenancy of terminals and merchants, terminal credentials, persistent locks and
// in-app notifications: SQL only.
import { sql } from 'kysely';
import type { Store } from '../store/index.ts';
import { authDb } from './auth.tables.ts';

export interface Tenant {
  tenant: string;
  name?: string;
  parent?: string;
}

export async function upsertTenant(store: Store, t: Tenant): Promise<void> {
  await authDb(store)
    .insertInto('tenants')
    .values({ tenant: t.tenant, name: t.name ?? null, parent: t.parent ?? null })
    .onConflict((oc) => oc.column('tenant').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), parent: eb.ref('excluded.parent') })))
    .execute();
}

export async function listTenants(store: Store): Promise<Tenant[]> {
  const rows = await authDb(store).selectFrom('tenants').select(['tenant', 'name', 'parent']).orderBy('tenant').execute();
  return rows.map((r) => ({ tenant: r.tenant, ...(r.name ? { name: r.name } : {}), ...(r.parent ? { parent: r.parent } : {}) }));
}

/** Every terminal with its merchant and the tenant that owns it (its own, else its merchant's). */
export async function listTerminalTenancy(store: Store): Promise<{ terminal: string; merchant: string | null; tenant: string | null }[]> {
  return authDb(store)
    .selectFrom('terminals as t')
    .leftJoin('merchants as m', 'm.merchant', 't.merchant')
    .select(['t.terminal', 't.merchant', sql<string | null>`coalesce(t.tenant, m.tenant)`.as('tenant')])
    .execute();
}

/** A cheap fingerprint of everything tenancy depends on; it changes when any of it does. */
export async function tenancyVersion(store: Store): Promise<string> {
  const { rows } = await sql<{ v: string }>`
    select concat_ws('|',
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from terminals),
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from merchants),
      (select count(*) || ':' || coalesce(string_agg(tenant || '>' || coalesce(parent, ''), ',' order by tenant), '') from tenants)) as v`.execute(store.db);
  return rows[0]?.v ?? '';
}

export async function setTerminalTenants(store: Store, rows: readonly { terminal: string; tenant: string }[]): Promise<void> {
  for (const r of rows) await authDb(store).updateTable('terminals').set({ tenant: r.tenant, updated_at: sql<Date>`now()` }).where('terminal', '=', r.terminal).execute();
}

export async function setMerchantTenants(store: Store, rows: readonly { merchant: string; tenant: string }[]): Promise<void> {
  for (const r of rows) await authDb(store).updateTable('merchants').set({ tenant: r.tenant, updated_at: sql<Date>`now()` }).where('merchant', '=', r.merchant).execute();
}

export async function saveTerminalCredential(store: Store, terminal: string, secretHash: string): Promise<void> {
  await authDb(store)
    .insertInto('terminal_credentials')
    .values({ terminal, secret_hash: secretHash })
    .onConflict((oc) => oc.column('terminal').doUpdateSet({ secret_hash: secretHash, created_at: sql<Date>`now()` }))
    .execute();
}

export async function findTerminalCredential(store: Store, terminal: string): Promise<string | undefined> {
  const r = await authDb(store).selectFrom('terminal_credentials').select('secret_hash').where('terminal', '=', terminal).executeTakeFirst();
  return r?.secret_hash;
}

export async function insertTerminalLock(store: Store, terminal: string, at: Date, reason: string): Promise<boolean> {
  const r = await authDb(store).insertInto('terminal_locks').values({ terminal, locked_at: at, reason }).onConflict((oc) => oc.column('terminal').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteTerminalLock(store: Store, terminal: string): Promise<{ locked_at: Date; reason: string } | undefined> {
  const r = await authDb(store).deleteFrom('terminal_locks').where('terminal', '=', terminal).returning(['locked_at', 'reason']).executeTakeFirst();
  return r ? { locked_at: new Date(r.locked_at), reason: r.reason } : undefined;
}

export async function listTerminalLocks(store: Store): Promise<{ terminal: string; locked_at: Date; reason: string }[]> {
  const rows = await authDb(store).selectFrom('terminal_locks').selectAll().orderBy('terminal').execute();
  return rows.map((r) => ({ terminal: r.terminal, locked_at: new Date(r.locked_at), reason: r.reason }));
}

export interface Notification {
  id: number;
  at: string;
  tenant?: string;
  terminal?: string;
  kind: string;
  message: string;
}

export async function insertNotification(store: Store, n: Omit<Notification, 'id'>): Promise<void> {
  await authDb(store).insertInto('notifications').values({ at: n.at, tenant: n.tenant ?? null, terminal: n.terminal ?? null, kind: n.kind, message: n.message }).execute();
}

export async function listNotifications(store: Store, limit = 200): Promise<Notification[]> {
  const rows = await authDb(store).selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), at: new Date(r.at).toISOString(), kind: r.kind, message: r.message, ...(r.tenant ? { tenant: r.tenant } : {}), ...(r.terminal ? { terminal: r.terminal } : {}) }));
}
