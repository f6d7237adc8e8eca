// The history of diagnoses: when a cause was opened, updated and cleared on a terminal.
import type { CauseCode, Diagnosis } from '../domain/index.ts';
import type { Store } from './store.ts';
import { chunks, isoTime, toDate } from './rows.ts';

export interface DiagnosisChange {
  terminal: string;
  cause: CauseCode;
  kind: 'opened' | 'updated' | 'cleared';
  /** RFC 3339 or epoch milliseconds. */
  at: string | number;
  diagnosis?: Diagnosis;
}

export interface DiagnosisHistoryRow {
  id: number;
  terminal: string;
  cause: CauseCode;
  kind: DiagnosisChange['kind'];
  at: string;
  diagnosis?: Diagnosis;
}

const CHUNK = 1000;

export async function saveDiagnosisChanges(store: Store, changes: readonly DiagnosisChange[]): Promise<void> {
  for (const chunk of chunks(changes, CHUNK)) {
    await store.db
      .insertInto('diagnosis_history')
      .values(
        chunk.map((c) => ({
          terminal: c.terminal,
          cause: c.cause,
          kind: c.kind,
          at: toDate(c.at),
          diagnosis: c.diagnosis === undefined ? null : JSON.stringify(c.diagnosis),
        })),
      )
      .execute();
  }
}

export interface DiagnosisHistoryQuery {
  terminal?: string;
  cause?: string;
  /** Only changes at or after this time. */
  from?: string | number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** Changes newest first. */
export async function listDiagnosisHistory(store: Store, q: DiagnosisHistoryQuery = {}): Promise<DiagnosisHistoryRow[]> {
  let query = store.db.selectFrom('diagnosis_history').select(['id', 'terminal', 'cause', 'kind', 'at', 'diagnosis']);
  if (q.terminal !== undefined) query = query.where('terminal', '=', q.terminal);
  if (q.cause !== undefined) query = query.where('cause', '=', q.cause);
  if (q.from !== undefined) query = query.where('at', '>=', toDate(q.from));
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), 1000))
    .execute();
  return rows.map((r) => {
    const row: DiagnosisHistoryRow = { id: Number(r.id), terminal: r.terminal, cause: r.cause as CauseCode, kind: r.kind, at: isoTime(r.at) };
    if (r.diagnosis !== null) row.diagnosis = r.diagnosis as Diagnosis;
    return row;
  });
}
