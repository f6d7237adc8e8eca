// The scoring itself: predictions per terminal, accuracy, fpr, per-cause table, incidents.

import { isCauseCode, TERMINAL_STATUSES } from '../domain/index.ts';
import { jaccard, scopeAgrees, type CauseScore, type Score, type Truth } from './score.ts';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

interface Prediction {
  cause: string;
  flagged: boolean;
}

function predictions(output: unknown, malformed: string[]): Map<string, Prediction> {
  const out = new Map<string, Prediction>();
  if (!isObj(output)) {
    malformed.push('the output is not a JSON object');
    return out;
  }
  if (!Array.isArray(output.terminals)) {
    malformed.push('no terminals array');
    return out;
  }
  for (const [i, t] of output.terminals.entries()) {
    if (!isObj(t) || typeof t.terminal !== 'string') {
      malformed.push(`terminals[${i}] has no terminal id`);
      continue;
    }
    if (out.has(t.terminal)) malformed.push(`terminal ${t.terminal} is listed twice`);
    if (!TERMINAL_STATUSES.includes(t.status as never)) malformed.push(`terminal ${t.terminal}: unknown status ${JSON.stringify(t.status)}`);
    const diagnoses = Array.isArray(t.diagnoses) ? t.diagnoses : [];
    if (!Array.isArray(t.diagnoses)) malformed.push(`terminal ${t.terminal}: diagnoses is not a list`);
    for (const d of diagnoses) {
      if (!isObj(d) || !isCauseCode(d.cause)) malformed.push(`terminal ${t.terminal}: unknown cause ${JSON.stringify(isObj(d) ? d.cause : d)}`);
      else if (typeof d.confidence !== 'number' || d.confidence < 0 || d.confidence > 1) malformed.push(`terminal ${t.terminal}: confidence ${JSON.stringify(d.confidence)} outside 0..1`);
    }
    const first = diagnoses[0];
    const cause = isObj(first) && typeof first.cause === 'string' ? first.cause : t.status === 'ok' ? 'ok' : '(none)';
    out.set(t.terminal, { cause, flagged: t.status !== 'ok' || diagnoses.length > 0 });
  }
  return out;
}

function perCause(truth: Truth, pred: Map<string, Prediction>): CauseScore[] {
  const causes = new Set<string>();
  for (const c of Object.values(truth.terminals)) if (c !== 'ok') causes.add(c);
  for (const p of pred.values()) if (p.cause !== 'ok') causes.add(p.cause);
  return [...causes].sort().map((cause) => {
    let t = 0, p = 0, ok = 0;
    for (const [term, c] of Object.entries(truth.terminals)) {
      const got = pred.get(term)?.cause ?? 'ok';
      if (c === cause) t++;
      if (got === cause) p++;
      if (c === cause && got === cause) ok++;
    }
    return { cause, truth: t, predicted: p, correct: ok, recall: t ? ok / t : 0, precision: p ? ok / p : 0 };
  });
}

function matchIncidents(truth: Truth, output: unknown, malformed: string[]): number {
  const outs = isObj(output) && Array.isArray(output.incidents) ? (output.incidents as unknown[]) : [];
  if (isObj(output) && output.incidents !== undefined && !Array.isArray(output.incidents)) malformed.push('incidents is not a list');
  const used = new Set<number>();
  let matched = 0;
  for (const ti of truth.incidents) {
    let best = -1;
    let bestJ = 0;
    outs.forEach((oi, i) => {
      if (used.has(i) || !isObj(oi) || oi.cause !== ti.cause || !scopeAgrees(ti.cause, ti.scope as Obj, oi.scope)) return;
      const j = jaccard(ti.terminals, Array.isArray(oi.terminals) ? oi.terminals.map(String) : []);
      if (j >= 0.7 && j > bestJ) [best, bestJ] = [i, j];
    });
    if (best >= 0) {
      used.add(best);
      matched++;
    }
  }
  return matched;
}

export function score(truth: Truth, output: unknown): Score {
  const malformed: string[] = [];
  const pred = predictions(output, malformed);
  const inIncident = new Set(truth.incidents.flatMap((i) => i.terminals));
  let faulty = 0, correct = 0, outsideN = 0, outsideOk = 0, healthy = 0, fp = 0;
  const confusions: [string, string, string][] = [];
  for (const [term, cause] of Object.entries(truth.terminals)) {
    const p = pred.get(term) ?? { cause: 'ok', flagged: false };
    if (cause === 'ok') {
      healthy++;
      if (p.flagged) {
        fp++;
        confusions.push([term, cause, p.cause]);
      }
      continue;
    }
    faulty++;
    const hit = p.cause === cause;
    if (hit) correct++;
    else confusions.push([term, cause, p.cause]);
    if (!inIncident.has(term)) {
      outsideN++;
      if (hit) outsideOk++;
    }
  }
  return {
    accuracy: faulty ? correct / faulty : 0, accuracyOutsideIncidents: outsideN ? outsideOk / outsideN : 0,
    fpr: healthy ? fp / healthy : 0, faulty, healthy, falsePositives: fp, perCause: perCause(truth, pred),
    incidentsMatched: matchIncidents(truth, output, malformed), incidentsTotal: truth.incidents.length, malformed, confusions,
  };
}
