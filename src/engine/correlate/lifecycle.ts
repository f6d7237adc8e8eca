// Incident lifecycle between two evaluations: opened, joined (terminals added), left (terminals
// gone back to normal or out of scope), resolved. The server persists these and notifies.

import type { Incident } from '../../domain/index.ts';

export type IncidentChangeKind = 'opened' | 'joined' | 'left' | 'resolved';

export interface IncidentChange {
  kind: IncidentChangeKind;
  /** The incident id (`${cause}:${scope values}`). */
  incident: string;
  cause: Incident['cause'];
  /** Terminals concerned by this change: all members for opened/resolved, the movers otherwise. */
  terminals: string[];
  /** The incident as it is now (as it was last for `resolved`). */
  current: Incident;
}

export function incidentId(incident: Incident): string {
  if (incident.id) return incident.id;
  const values = Object.keys(incident.scope)
    .sort()
    .map((k) => {
      const v = incident.scope[k];
      return Array.isArray(v) ? v.join(',') : String(v);
    });
  return [incident.cause, ...values].join(':');
}

/** What changed from `prev` to `next` (pure; ordered: opened, joined, left, resolved). */
export function diffIncidents(prev: readonly Incident[], next: readonly Incident[]): IncidentChange[] {
  const before = new Map(prev.map((i) => [incidentId(i), i]));
  const after = new Map(next.map((i) => [incidentId(i), i]));
  const changes: IncidentChange[] = [];
  const change = (kind: IncidentChangeKind, id: string, current: Incident, terminals: string[]): void => {
    if (terminals.length > 0 || kind === 'opened' || kind === 'resolved') {
      changes.push({ kind, incident: id, cause: current.cause, terminals: [...terminals].sort(), current });
    }
  };
  for (const [id, inc] of after) if (!before.has(id)) change('opened', id, inc, inc.terminals);
  for (const [id, inc] of after) {
    const old = before.get(id);
    if (!old) continue;
    const was = new Set(old.terminals);
    const now = new Set(inc.terminals);
    change('joined', id, inc, inc.terminals.filter((t) => !was.has(t)));
    change('left', id, inc, old.terminals.filter((t) => !now.has(t)));
  }
  for (const [id, inc] of before) if (!after.has(id)) change('resolved', id, inc, inc.terminals);
  const order: IncidentChangeKind[] = ['opened', 'joined', 'left', 'resolved'];
  return changes.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
