// The latest status and diagnoses of every terminal, and the paged, filtered, sorted list of them.
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { causeInfo, CAUSES, TERMINAL_STATUSES, type CauseCode, type Diagnosis, type TerminalStatus } from '../domain/index.ts';
import type { Database } from './database.ts';
import type { Store } from './store.ts';
import { chunks, isoTime, lastByKey, toDate } from './rows.ts';

export interface TerminalStateRow {
  terminal: string;
  status: TerminalStatus;
  /** Most likely first (spec/causes.md). */
  diagnoses: Diagnosis[];
  /** RFC 3339: when this state was computed. */
  updated_at: string;
  /** Read only: copied from the registry, filled on reads. */
  merchant?: string;
  model?: string;
  region?: string;
  carrier?: string;
}

/** What upsertTerminalStates takes: a TerminalStateRow, with the time also as epoch ms or a Date. */
export type TerminalStateWrite = Omit<TerminalStateRow, 'updated_at'> & { updated_at: string | number | Date };

export const TERMINAL_SORTS = ['status', 'terminal', 'updated_at', 'cause', 'model', 'region', 'carrier', 'merchant'] as const;
export type TerminalSort = (typeof TERMINAL_SORTS)[number];

export interface TerminalStateQuery {
  status?: TerminalStatus;
  /** The main (first) diagnosis' cause. */
  cause?: CauseCode | string;
  /** The main cause's category (hw, sw, net, …). */
  category?: string;
  model?: string;
  region?: string;
  carrier?: string;
  merchant?: string;
  /** Case-insensitive part of the terminal ID or merchant ID. */
  search?: string;
  /**
   * Default `status`: worst first (locked, offline, faulty, degraded, ok). Ties go by status then
   * terminal, in the same direction, so every sort reads an index. Missing values sort last when
   * ascending, first when descending.
   */
  sort?: TerminalSort;
  order?: 'asc' | 'desc';
  offset?: number;
  /** Default 50, at most 1000. */
  limit?: number;
}

const CHUNK = 1000;
const MAX_LIMIT = 1000;

/** Worst first: the order of the terminals table by status (status_rank is the index here). */
export const STATUS_SEVERITY: readonly TerminalStatus[] = ['locked', 'offline', 'faulty', 'degraded', 'ok'];

function stateRecord(s: TerminalStateWrite) {
  const main = s.diagnoses[0]?.cause;
  return {
    terminal: s.terminal,
    status: s.status,
    status_rank: STATUS_SEVERITY.indexOf(s.status),
    main_cause: main ?? null,
    category: main && main in CAUSES ? causeInfo(main).category : null,
    diagnoses: s.diagnoses,
    updated_at: toDate(s.updated_at).toISOString(),
  };
}

/**
 * Writes the latest state of each terminal. A state older than the stored one is ignored,
 * so late writers cannot roll a terminal back. Registry columns are copied from terminals.
 */
export async function upsertTerminalStates(store: Store, states: readonly TerminalStateWrite[]): Promise<void> {
  for (const chunk of chunks(lastByKey(states, (s) => s.terminal), CHUNK)) {
    const records = JSON.stringify(chunk.map(stateRecord));
    await sql`
      insert into terminal_state (terminal, status, status_rank, main_cause, category, diagnoses, updated_at, merchant, model, region, carrier)
      select r.terminal, r.status, r.status_rank, r.main_cause, r.category, r.diagnoses, r.updated_at, t.merchant, t.model, t.region, t.carrier
        from jsonb_to_recordset(${records}::jsonb)
             as r(terminal text, status text, status_rank smallint, main_cause text, category text, diagnoses jsonb, updated_at timestamptz)
        left join terminals t on t.terminal = r.terminal
      on conflict (terminal) do update set
        status = excluded.status, status_rank = excluded.status_rank, main_cause = excluded.main_cause,
        category = excluded.category, diagnoses = excluded.diagnoses, updated_at = excluded.updated_at
      where terminal_state.updated_at <= excluded.updated_at`.execute(store.db);
  }
}

type StateQuery = SelectQueryBuilder<Database, 'terminal_state', {}>;

function filtered(store: Store, q: TerminalStateQuery): StateQuery {
  let query: StateQuery = store.db.selectFrom('terminal_state');
  // status is filtered through its rank, so the (filter column, status_rank, terminal) indexes serve it.
  if (q.status !== undefined) query = query.where('status_rank', '=', STATUS_SEVERITY.indexOf(q.status));
  if (q.cause !== undefined) query = query.where('main_cause', '=', q.cause);
  if (q.category !== undefined) query = query.where('category', '=', q.category);
  if (q.model !== undefined) query = query.where('model', '=', q.model);
  if (q.region !== undefined) query = query.where('region', '=', q.region);
  if (q.carrier !== undefined) query = query.where('carrier', '=', q.carrier);
  if (q.merchant !== undefined) query = query.where('merchant', '=', q.merchant);
  if (q.search !== undefined && q.search.trim() !== '') {
    const pattern = `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb: ExpressionBuilder<Database, 'terminal_state'>) =>
      eb.or([eb('terminal', 'ilike', pattern), eb('merchant', 'ilike', pattern)]),
    );
  }
  return query;
}

const SORT_COLUMN = {
  status: 'status_rank',
  terminal: 'terminal',
  updated_at: 'updated_at',
  cause: 'main_cause',
  model: 'model',
  region: 'region',
  carrier: 'carrier',
  merchant: 'merchant',
} as const satisfies Record<TerminalSort, keyof Database['terminal_state']>;

function toRow(r: { terminal: string; status: string; diagnoses: unknown[]; updated_at: Date; merchant: string | null; model: string | null; region: string | null; carrier: string | null }): TerminalStateRow {
  const row: TerminalStateRow = { terminal: r.terminal, status: r.status as TerminalStatus, diagnoses: r.diagnoses as Diagnosis[], updated_at: isoTime(r.updated_at) };
  if (r.merchant !== null) row.merchant = r.merchant;
  if (r.model !== null) row.model = r.model;
  if (r.region !== null) row.region = r.region;
  if (r.carrier !== null) row.carrier = r.carrier;
  return row;
}

const STATE_COLUMNS = ['terminal', 'status', 'diagnoses', 'updated_at', 'merchant', 'model', 'region', 'carrier'] as const;

/** One page of terminal states under the filters, and how many match in all. */
export async function listTerminalStates(store: Store, q: TerminalStateQuery = {}): Promise<{ total: number; rows: TerminalStateRow[] }> {
  const sort = SORT_COLUMN[q.sort ?? 'status'] ?? 'status_rank';
  const order = q.order === 'desc' ? 'desc' : 'asc';
  const limit = Math.min(Math.max(Math.trunc(q.limit ?? 50), 0), MAX_LIMIT);
  const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
  let page = filtered(store, q).select(STATE_COLUMNS).orderBy(sort, order);
  if (sort !== 'terminal' && sort !== 'status_rank' && sort !== 'updated_at') page = page.orderBy('status_rank', order);
  if (sort !== 'terminal') page = page.orderBy('terminal', order);
  const [count, rows] = await Promise.all([
    filtered(store, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    limit === 0 ? Promise.resolve([]) : page.limit(limit).offset(offset).execute(),
  ]);
  return { total: Number(count.n), rows: rows.map(toRow) };
}

export async function findTerminalState(store: Store, terminal: string): Promise<TerminalStateRow | undefined> {
  const row = await store.db.selectFrom('terminal_state').select(STATE_COLUMNS).where('terminal', '=', terminal).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** How many terminals are in each status (statuses with none are 0). */
export async function countTerminalStatesByStatus(store: Store): Promise<Record<TerminalStatus, number>> {
  const rows = await store.db.selectFrom('terminal_state').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  const counts = Object.fromEntries(TERMINAL_STATUSES.map((s) => [s, 0])) as Record<TerminalStatus, number>;
  for (const r of rows) if (r.status in counts) counts[r.status as TerminalStatus] = Number(r.n);
  return counts;
}

/** How many terminals have each main cause, most first. */
export async function countTerminalStatesByCause(store: Store): Promise<{ cause: string; count: number }[]> {
  const rows = await store.db
    .selectFrom('terminal_state')
    .select(['main_cause', (eb) => eb.fn.countAll<number>().as('n')])
    .where('main_cause', 'is not', null)
    .groupBy('main_cause')
    .orderBy('n', 'desc')
    .execute();
  return rows.map((r) => ({ cause: r.main_cause as string, count: Number(r.n) }));
}

/** The stored diagnoses of every terminal that has any (the server's baseline after a restart). */
export async function listDiagnosedTerminals(store: Store): Promise<Map<string, Diagnosis[]>> {
  const rows = await store.db
    .selectFrom('terminal_state')
    .select(['terminal', 'diagnoses'])
    .where(sql<boolean>`jsonb_array_length(diagnoses) > 0`)
    .execute();
  return new Map(rows.map((r) => [r.terminal, r.diagnoses as Diagnosis[]]));
}
