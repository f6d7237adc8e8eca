// What changed between two reports: causes opened, updated (status or confidence moved) and cleared.

import type { CauseCode, Diagnosis, DiagnosisReport } from '../domain/index.ts';

export interface DiagnosisChange {
  terminal: string;
  cause: CauseCode;
  kind: 'opened' | 'updated' | 'cleared';
  /** RFC 3339. */
  at: string;
  diagnosis?: Diagnosis;
}

function index(report: DiagnosisReport | undefined): Map<string, Map<CauseCode, Diagnosis>> {
  const out = new Map<string, Map<CauseCode, Diagnosis>>();
  for (const t of report?.terminals ?? []) {
    if (t.diagnoses.length > 0) out.set(t.terminal, new Map(t.diagnoses.map((d) => [d.cause, d])));
  }
  return out;
}

export function diffReports(before: DiagnosisReport | undefined, after: DiagnosisReport): DiagnosisChange[] {
  const a = index(before);
  const b = index(after);
  const at = after.at;
  const out: DiagnosisChange[] = [];
  for (const [terminal, now] of b) {
    const was = a.get(terminal);
    for (const [cause, d] of now) {
      const old = was?.get(cause);
      if (!old) out.push({ terminal, cause, kind: 'opened', at, diagnosis: d });
      else if (Math.abs(old.confidence - d.confidence) >= 0.05 || old.incident !== d.incident) out.push({ terminal, cause, kind: 'updated', at, diagnosis: d });
    }
  }
  for (const [terminal, was] of a) {
    const now = b.get(terminal);
    for (const cause of was.keys()) if (!now?.has(cause)) out.push({ terminal, cause, kind: 'cleared', at });
  }
  return out;
}
