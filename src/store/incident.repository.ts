// Fleet incidents (one cause behind many terminals) and their history.
import { sql } from 'kysely';
import type { CauseCode, Incident, IncidentScope } from '../domain/index.ts';
import type { Store } from './store.ts';
import { chunks, isoTime, lastByKey, toDate } from './rows.ts';

export interface IncidentRow extends Incident {
  id: string;
  status: 'open' | 'resolved';
  /** RFC 3339, set once resolved. */
  resolved_at?: string;
}

export type IncidentWrite = Omit<IncidentRow, 'since' | 'resolved_at'> & { since: string | number; resolved_at?: string | number };

export interface IncidentChange {
  incident: string;
  kind: 'opened' | 'joined' | 'left' | 'resolved';
  terminal?: string;
  at: string | number;
}

export interface IncidentHistoryRow extends Omit<IncidentChange, 'at'> {
  at: string;
}

const CHUNK = 500;

/** Inserts or replaces incidents by id. */
export async function upsertIncidents(store: Store, incidents: readonly IncidentWrite[]): Promise<void> {
  for (const chunk of chunks(lastByKey(incidents, (i) => i.id), CHUNK)) {
    const rows = chunk.map((i) => ({
      id: i.id,
      cause: i.cause,
      scope: JSON.stringify(i.scope),
      terminals: JSON.stringify(i.terminals),
      since: toDate(i.since),
      resolved_at: i.resolved_at === undefined ? null : toDate(i.resolved_at),
      status: i.status,
      evidence: JSON.stringify(i.evidence ?? []),
      evidence_zh: JSON.stringify(i.evidence_zh ?? []),
    }));
    await store.db
      .insertInto('incidents')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          cause: eb.ref('excluded.cause'),
          scope: eb.ref('excluded.scope'),
          terminals: eb.ref('excluded.terminals'),
          since: eb.ref('excluded.since'),
          resolved_at: eb.ref('excluded.resolved_at'),
          status: eb.ref('excluded.status'),
          evidence: eb.ref('excluded.evidence'),
          evidence_zh: eb.ref('excluded.evidence_zh'),
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
}

/** Marks open incidents resolved at `at`; returns the ids it changed. */
export async function resolveIncidents(store: Store, ids: readonly string[], at: string | number): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .updateTable('incidents')
    .set({ status: 'resolved', resolved_at: toDate(at), updated_at: sql<Date>`now()` })
    .where('id', 'in', [...ids])
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

type IncidentRecord = {
  id: string; cause: string; scope: IncidentScope; terminals: string[]; since: Date;
  resolved_at: Date | null; status: 'open' | 'resolved'; evidence: string[]; evidence_zh: string[];
};

function toIncident(r: IncidentRecord): IncidentRow {
  const row: IncidentRow = {
    id: r.id, cause: r.cause as CauseCode, scope: r.scope, terminals: r.terminals, since: isoTime(r.since),
    status: r.status, evidence: r.evidence, evidence_zh: r.evidence_zh,
  };
  if (r.resolved_at !== null) row.resolved_at = isoTime(r.resolved_at);
  return row;
}

const INCIDENT_COLUMNS = ['id', 'cause', 'scope', 'terminals', 'since', 'resolved_at', 'status', 'evidence', 'evidence_zh'] as const;

export interface IncidentQuery {
  status?: 'open' | 'resolved';
  /** Only incidents that include this terminal. */
  terminal?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

/** Open incidents first, then newest first. */
export async function listIncidents(store: Store, q: IncidentQuery = {}): Promise<IncidentRow[]> {
  let query = store.db.selectFrom('incidents').select(INCIDENT_COLUMNS);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  if (q.terminal !== undefined) query = query.where(sql<boolean>`terminals @> ${JSON.stringify([q.terminal])}::jsonb`);
  const rows = await query
    .orderBy(sql`status = 'open'`, 'desc')
    .orderBy('since', 'desc')
    .orderBy('id')
    .limit(Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 1000))
    .offset(Math.max(Math.trunc(q.offset ?? 0), 0))
    .execute();
  return rows.map(toIncident);
}

export async function findIncident(store: Store, id: string): Promise<IncidentRow | undefined> {
  const row = await store.db.selectFrom('incidents').select(INCIDENT_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row ? toIncident(row) : undefined;
}

export async function saveIncidentChanges(store: Store, changes: readonly IncidentChange[]): Promise<void> {
  for (const chunk of chunks(changes, 1000)) {
    await store.db
      .insertInto('incident_history')
      .values(chunk.map((c) => ({ incident: c.incident, kind: c.kind, terminal: c.terminal ?? null, at: toDate(c.at) })))
      .execute();
  }
}

/** An incident's history, oldest first. */
export async function listIncidentHistory(store: Store, incident: string): Promise<IncidentHistoryRow[]> {
  const rows = await store.db
    .selectFrom('incident_history')
    .select(['incident', 'kind', 'terminal', 'at'])
    .where('incident', '=', incident)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ incident: r.incident, kind: r.kind, ...(r.terminal !== null ? { terminal: r.terminal } : {}), at: isoTime(r.at) }));
}
