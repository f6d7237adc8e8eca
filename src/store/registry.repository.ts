// The fleet registry: terminals, merchants, models and maintenance windows.
// Upserts go in multi-row INSERT … ON CONFLICT DO UPDATE chunks, so a large fleet loads in seconds.
import { sql } from 'kysely';
import type { MaintenanceWindow, Registry, RegistryMerchant, RegistryModel, RegistryTerminal } from '../domain/index.ts';
import type { Store } from './store.ts';
import { chunks, compact, isoTime, lastByKey } from './rows.ts';

const CHUNK = 1000;

export interface RegistryCounts {
  terminals: number;
  merchants: number;
  models: number;
  maintenance: number;
}

/** Inserts or updates every entry of the registry; entries not listed stay as they are. */
export async function upsertRegistry(store: Store, registry: Registry): Promise<RegistryCounts> {
  const terminals = lastByKey(registry.terminals, (t) => t.terminal);
  const merchants = lastByKey(registry.merchants, (m) => m.merchant);
  const models = lastByKey(registry.models, (m) => m.model);
  const maintenance = lastByKey(registry.maintenance, (w) => `${Date.parse(w.start)}|${Date.parse(w.end)}|${w.host ?? ''}`);
  for (const chunk of chunks(terminals, CHUNK)) {
    await upsertTerminals(store, chunk);
    await copyRegistryIntoStates(store, chunk.map((t) => t.terminal));
  }
  for (const chunk of chunks(merchants, CHUNK)) await upsertMerchants(store, chunk);
  for (const chunk of chunks(models, CHUNK)) await upsertModels(store, chunk);
  for (const chunk of chunks(maintenance, CHUNK)) await upsertMaintenanceWindows(store, chunk);
  return { terminals: terminals.length, merchants: merchants.length, models: models.length, maintenance: maintenance.length };
}

export async function upsertTerminals(store: Store, terminals: readonly RegistryTerminal[]): Promise<void> {
  if (terminals.length === 0) return;
  const rows = terminals.map((t) => ({
    terminal: t.terminal,
    merchant: t.merchant ?? null,
    model: t.model ?? null,
    region: t.region ?? null,
    carrier: t.carrier ?? null,
    host: t.host ?? null,
    sim_expires: t.sim_expires ?? null,
    lease_expires: t.lease_expires ?? null,
    installed: t.installed ?? null,
  }));
  await store.db
    .insertInto('terminals')
    .values(rows)
    .onConflict((oc) =>
      oc.column('terminal').doUpdateSet((eb) => ({
        merchant: eb.ref('excluded.merchant'),
        model: eb.ref('excluded.model'),
        region: eb.ref('excluded.region'),
        carrier: eb.ref('excluded.carrier'),
        host: eb.ref('excluded.host'),
        sim_expires: eb.ref('excluded.sim_expires'),
        lease_expires: eb.ref('excluded.lease_expires'),
        installed: eb.ref('excluded.installed'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

/** Keeps the registry columns copied into terminal_state (for filtering) in step with terminals. */
export async function copyRegistryIntoStates(store: Store, terminals: readonly string[]): Promise<void> {
  if (terminals.length === 0) return;
  await sql`
    update terminal_state s
       set merchant = t.merchant, model = t.model, region = t.region, carrier = t.carrier
      from terminals t
     where t.terminal = s.terminal
       and t.terminal = any(${[...terminals]}::text[])
       and (s.merchant, s.model, s.region, s.carrier) is distinct from (t.merchant, t.model, t.region, t.carrier)`.execute(store.db);
}

export async function upsertMerchants(store: Store, merchants: readonly RegistryMerchant[]): Promise<void> {
  if (merchants.length === 0) return;
  const rows = merchants.map((m) => ({ merchant: m.merchant, name: m.name ?? null, fee_rate: m.fee_rate ?? null, daily_limit: m.daily_limit ?? null }));
  await store.db
    .insertInto('merchants')
    .values(rows)
    .onConflict((oc) =>
      oc.column('merchant').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        fee_rate: eb.ref('excluded.fee_rate'),
        daily_limit: eb.ref('excluded.daily_limit'),
        updated_at: sql<Date>`now()`,
      })),
    )
    .execute();
}

export async function upsertModels(store: Store, models: readonly RegistryModel[]): Promise<void> {
  if (models.length === 0) return;
  const rows = models.map((m) => ({ model: m.model, vendor: m.vendor ?? null, min_firmware: m.min_firmware ?? null, min_app: m.min_app ?? null }));
  await store.db
    .insertInto('models')
    .values(rows)
    .onConflict((oc) =>
      oc.column('model').doUpdateSet((eb) => ({
        vendor: eb.ref('excluded.vendor'),
        min_firmware: eb.ref('excluded.min_firmware'),
        min_app: eb.ref('excluded.min_app'),
      })),
    )
    .execute();
}

/** A window is known by (start, end, host); listing it again updates its note. */
export async function upsertMaintenanceWindows(store: Store, windows: readonly MaintenanceWindow[]): Promise<void> {
  if (windows.length === 0) return;
  const rows = windows.map((w) => ({ start_at: w.start, end_at: w.end, host: w.host ?? null, note: w.note ?? null }));
  await store.db
    .insertInto('maintenance_windows')
    .values(rows)
    .onConflict((oc) =>
      oc.expression(sql`start_at, end_at, (coalesce(host, ''))`).doUpdateSet((eb) => ({ note: eb.ref('excluded.note') })),
    )
    .execute();
}

/** The whole registry, each list ordered by its key. */
export async function loadRegistry(store: Store): Promise<Registry> {
  const [terminals, merchants, models, maintenance] = await Promise.all([
    listRegistryTerminals(store),
    listMerchants(store),
    listModels(store),
    listMaintenanceWindows(store),
  ]);
  return { terminals, merchants, models, maintenance };
}

const TERMINAL_COLUMNS = ['terminal', 'merchant', 'model', 'region', 'carrier', 'sim_expires', 'lease_expires', 'installed', 'host'] as const;

export async function listRegistryTerminals(store: Store): Promise<RegistryTerminal[]> {
  const rows = await store.db.selectFrom('terminals').select(TERMINAL_COLUMNS).orderBy('terminal').execute();
  return rows.map((r) => compact(r) as RegistryTerminal);
}

export async function findTerminal(store: Store, terminal: string): Promise<RegistryTerminal | undefined> {
  const row = await store.db.selectFrom('terminals').select(TERMINAL_COLUMNS).where('terminal', '=', terminal).executeTakeFirst();
  return row ? (compact(row) as RegistryTerminal) : undefined;
}

export async function listMerchants(store: Store): Promise<RegistryMerchant[]> {
  const rows = await store.db.selectFrom('merchants').select(['merchant', 'name', 'fee_rate', 'daily_limit']).orderBy('merchant').execute();
  return rows.map((r) => compact(r) as RegistryMerchant);
}

export async function listModels(store: Store): Promise<RegistryModel[]> {
  const rows = await store.db.selectFrom('models').select(['model', 'vendor', 'min_firmware', 'min_app']).orderBy('model').execute();
  return rows.map((r) => compact(r) as RegistryModel);
}

export async function listMaintenanceWindows(store: Store): Promise<MaintenanceWindow[]> {
  const rows = await store.db.selectFrom('maintenance_windows').select(['start_at', 'end_at', 'host', 'note']).orderBy('start_at').orderBy('id').execute();
  return rows.map((r) => compact({ start: isoTime(r.start_at), end: isoTime(r.end_at), host: r.host, note: r.note }) as MaintenanceWindow);
}
