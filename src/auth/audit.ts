// The audit log: every change made by a person, a token or the CLI — who, what, when, from which
// address, before and after. Append-only and hash-chained: each row stores
// hash = sha256(prev_hash + canonical(row)), and the head (last seq and hash) is also kept in the kv
// table, so an edited, deleted or truncated row breaks verifyAuditChain().
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../store/index.ts';
import { authDb, type AuthDb } from './auth.tables.ts';
import type { Actor } from './auth.types.ts';

export const GENESIS_HASH = '0'.repeat(64);
const HEAD_KEY = 'auth.audit_head';

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  actor_kind: string;
  tenant?: string;
  address?: string;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

type Row = { seq: number; at: string; actor: string; actor_kind: string; tenant: string | null; address: string | null; action: string; target: string | null; before: string | null; after: string | null };

export function rowHash(prevHash: string, row: Row): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(row)).digest('hex');
}

export interface AuditChange {
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry (serialized against concurrent writers by a table lock) and moves the head. */
export async function appendAudit(store: Store, who: Actor, change: AuditChange, now = new Date()): Promise<AuditEntry> {
  return authDb(store).transaction().execute(async (trx) => {
    await sql`lock table audit_log in exclusive mode`.execute(trx);
    const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const row: Row = {
      seq: Number(last?.seq ?? 0) + 1,
      at: now.toISOString(),
      actor: who.actor,
      actor_kind: who.kind,
      tenant: who.tenant ?? null,
      address: who.address ?? null,
      action: change.action,
      target: change.target ?? null,
      before: change.before === undefined ? null : canonicalJson(change.before),
      after: change.after === undefined ? null : canonicalJson(change.after),
    };
    const prev = last?.hash ?? GENESIS_HASH;
    const hash = rowHash(prev, row);
    await trx.insertInto('audit_log').values({ ...row, prev_hash: prev, hash }).execute();
    await setHead(trx, { seq: row.seq, hash });
    return entryOf({ ...row, prev_hash: prev, hash });
  });
}

async function setHead(trx: AuthDb, head: { seq: number; hash: string }): Promise<void> {
  await trx
    .insertInto('kv')
    .values({ key: HEAD_KEY, value: JSON.stringify(head) })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: sql<Date>`now()` })))
    .execute();
}

function entryOf(r: Row & { prev_hash: string; hash: string }): AuditEntry {
  return {
    seq: r.seq, at: r.at, actor: r.actor, actor_kind: r.actor_kind, action: r.action, prev_hash: r.prev_hash, hash: r.hash,
    ...(r.tenant ? { tenant: r.tenant } : {}), ...(r.address ? { address: r.address } : {}), ...(r.target ? { target: r.target } : {}),
    ...(r.before !== null ? { before: JSON.parse(r.before) as unknown } : {}), ...(r.after !== null ? { after: JSON.parse(r.after) as unknown } : {}),
  };
}

type Stored = Omit<Row, 'at' | 'seq'> & { seq: number | string; at: Date; prev_hash: string; hash: string };

function rowOf(r: Stored): Row & { prev_hash: string; hash: string } {
  return { ...r, seq: Number(r.seq), at: new Date(r.at).toISOString() };
}

export interface AuditQuery {
  /** Only entries with seq below this (paging backwards from the newest). */
  before?: number;
  limit?: number;
  /** Restrict to entries made by actors of these tenants (undefined: all). */
  tenants?: ReadonlySet<string>;
}

/** Newest first. */
export async function listAudit(store: Store, q: AuditQuery = {}): Promise<AuditEntry[]> {
  let query = authDb(store).selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(Math.min(q.limit ?? 100, 10_000));
  if (q.before !== undefined) query = query.where('seq', '<', q.before);
  if (q.tenants) query = query.where('tenant', 'in', q.tenants.size ? [...q.tenants] : ['\u0000']);
  return (await query.execute()).map((r) => entryOf(rowOf(r)));
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; seq: number; problem: string };

/** Walks the whole chain in order; reports the first row whose link or hash does not hold. */
export async function verifyAuditChain(store: Store): Promise<AuditVerdict> {
  const db = authDb(store);
  let prev = GENESIS_HASH;
  let expected = 1;
  let rows = 0;
  for (let after = 0; ; ) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(5000).execute();
    for (const raw of page) {
      const r = rowOf(raw);
      const { prev_hash, hash, ...row } = r;
      if (r.seq !== expected) return { ok: false, rows, seq: expected, problem: `row ${expected} is missing (next is ${r.seq})` };
      if (prev_hash !== prev) return { ok: false, rows, seq: r.seq, problem: `row ${r.seq} does not link to the row before it` };
      if (rowHash(prev, row) !== hash) return { ok: false, rows, seq: r.seq, problem: `row ${r.seq} was changed after it was written` };
      prev = hash;
      expected += 1;
      rows += 1;
    }
    if (page.length < 5000) break;
    after = expected - 1;
  }
  const head = await db.selectFrom('kv').select('value').where('key', '=', HEAD_KEY).executeTakeFirst();
  const h = head?.value as { seq: number; hash: string } | undefined;
  if (h && (h.seq !== rows || h.hash !== prev)) return { ok: false, rows, seq: h.seq, problem: `the log ends at row ${rows} but row ${h.seq} was written: rows were removed from the end` };
  if (!h && rows > 0) return { ok: false, rows, seq: rows, problem: 'the chain head record is missing' };
  return { ok: true, rows };
}
