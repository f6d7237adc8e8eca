// The diagnosis output of spec/causes.md.

import type { CauseCode, TerminalStatus } from './causes.ts';

export interface Diagnosis {
  cause: CauseCode;
  confidence: number;
  /** RFC 3339: when the trouble started. */
  since: string;
  /** Readable sentences with the figures that decided it (English, as in the spec). */
  evidence: string[];
  /** The same sentences in Simplified Chinese. */
  evidence_zh?: string[];
  remedy: string[];
  remedy_zh?: string[];
  /** Set when the diagnosis comes from a fleet incident. */
  incident?: string;
}

export interface TerminalDiagnosis {
  terminal: string;
  status: TerminalStatus;
  diagnoses: Diagnosis[];
}

export type IncidentScope = Record<string, string | string[]>;

export interface Incident {
  id?: string;
  cause: CauseCode;
  scope: IncidentScope;
  terminals: string[];
  since: string;
  evidence?: string[];
  evidence_zh?: string[];
}

export interface DiagnosisReport {
  at: string;
  terminals: TerminalDiagnosis[];
  incidents: Incident[];
}
