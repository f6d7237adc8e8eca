// Follows the engine's active incidents from one report to the next: gives each a stable ID, records
// which terminals joined and left and when, and keeps closed incidents for a while.

import { createHash } from 'node:crypto';
import type { Incident } from '../domain/index.ts';
import type { IncidentTimelineEntry, TrackedIncident } from './dashboard.types.ts';

const MAX_CLOSED = 200;
const MAX_TIMELINE = 200;
const MAX_LISTED = 50;

export interface IncidentChange {
  incident: TrackedIncident;
  kind: 'opened' | 'changed' | 'closed';
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function incidentId(inc: Incident): string {
  if (inc.id) return inc.id;
  const digest = createHash('sha1').update(`${inc.cause}|${stable(inc.scope)}`).digest('hex');
  return `INC-${digest.slice(0, 10)}`;
}

function entry(at: string, kind: IncidentTimelineEntry['kind'], terminals: string[]): IncidentTimelineEntry {
  return { at, kind, terminals: terminals.slice(0, MAX_LISTED), count: terminals.length };
}

export class IncidentTracker {
  private readonly tracked = new Map<string, TrackedIncident>();
  /** terminal → incident ID, for the open incidents. */
  readonly terminalIncident = new Map<string, string>();

  apply(incidents: readonly Incident[], at: string): IncidentChange[] {
    const changes: IncidentChange[] = [];
    const current = new Set<string>();
    for (const inc of incidents) {
      const id = incidentId(inc);
      current.add(id);
      const change = this.update(id, inc, at);
      if (change) changes.push(change);
    }
    for (const t of this.tracked.values()) {
      if (!t.open || current.has(t.id)) continue;
      t.open = false;
      t.closedAt = at;
      this.push(t, entry(at, 'closed', t.terminals));
      changes.push({ incident: t, kind: 'closed' });
    }
    this.reindex();
    this.prune();
    return changes;
  }

  private update(id: string, inc: Incident, at: string): IncidentChange | undefined {
    const known = this.tracked.get(id);
    const base = { cause: inc.cause, scope: inc.scope, since: inc.since, evidence: inc.evidence, evidence_zh: inc.evidence_zh };
    if (!known || !known.open) {
      const t: TrackedIncident = { id, ...base, terminals: [...inc.terminals], open: true, timeline: known?.timeline ?? [] };
      this.push(t, entry(known ? at : inc.since, 'opened', inc.terminals));
      this.tracked.set(id, t);
      return { incident: t, kind: 'opened' };
    }
    const before = new Set(known.terminals);
    const now = new Set(inc.terminals);
    const joined = inc.terminals.filter((x) => !before.has(x));
    const left = known.terminals.filter((x) => !now.has(x));
    Object.assign(known, base, { terminals: [...inc.terminals] });
    if (joined.length) this.push(known, entry(at, 'joined', joined));
    if (left.length) this.push(known, entry(at, 'left', left));
    return joined.length || left.length ? { incident: known, kind: 'changed' } : undefined;
  }

  private push(t: TrackedIncident, e: IncidentTimelineEntry): void {
    t.timeline.push(e);
    if (t.timeline.length > MAX_TIMELINE) t.timeline.splice(1, t.timeline.length - MAX_TIMELINE);
  }

  private reindex(): void {
    this.terminalIncident.clear();
    for (const t of this.tracked.values()) if (t.open) for (const x of t.terminals) this.terminalIncident.set(x, t.id);
  }

  private prune(): void {
    const closed = [...this.tracked.values()].filter((t) => !t.open);
    if (closed.length <= MAX_CLOSED) return;
    closed.sort((a, b) => (a.closedAt! < b.closedAt! ? -1 : 1));
    for (const t of closed.slice(0, closed.length - MAX_CLOSED)) this.tracked.delete(t.id);
  }

  get(id: string): TrackedIncident | undefined {
    return this.tracked.get(id);
  }

  /** Open first, each group newest first. */
  list(): TrackedIncident[] {
    return [...this.tracked.values()].sort((a, b) => {
      if (a.open !== b.open) return a.open ? -1 : 1;
      const ka = a.open ? a.since : a.closedAt!;
      const kb = b.open ? b.since : b.closedAt!;
      return ka < kb ? 1 : ka > kb ? -1 : 0;
    });
  }

  openCount(): number {
    let n = 0;
    for (const t of this.tracked.values()) if (t.open) n++;
    return n;
  }
}
