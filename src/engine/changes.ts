// What changed in a terminal's diagnoses: causes opened, updated (confidence moved by 0.05 or more,
// or the incident changed) and cleared.

import type { CauseCode, Diagnosis } from '../domain/index.ts';

export interface DiagnosisChange {
  terminal: string;
  cause: CauseCode;
  kind: 'opened' | 'updated' | 'cleared';
  /** RFC 3339. */
  at: string;
  diagnosis?: Diagnosis;
}

/** What changed for one terminal between two of its diagnoses (undefined: nothing known, i.e. ok). */
export function diffTerminal(terminal: string, before: readonly Diagnosis[] | undefined, after: readonly Diagnosis[] | undefined, at: string, out: DiagnosisChange[]): void {
  for (const d of after ?? []) {
    const old = before?.find((b) => b.cause === d.cause);
    if (!old) out.push({ terminal, cause: d.cause, kind: 'opened', at, diagnosis: d });
    else if (Math.abs(old.confidence - d.confidence) >= 0.05 || old.incident !== d.incident) out.push({ terminal, cause: d.cause, kind: 'updated', at, diagnosis: d });
  }
  for (const old of before ?? []) {
    if (!after?.some((d) => d.cause === old.cause)) out.push({ terminal, cause: old.cause, kind: 'cleared', at });
  }
}
