// Server-side listing of the fleet view: filter, sort and page without sorting the whole fleet
// (a bounded selection keeps only offset+limit candidates), and an ordered walk for CSV export.

import type { TerminalEntry, TerminalListQuery } from './dashboard.types.ts';

const SEVERITY: Record<string, number> = { locked: 0, faulty: 1, offline: 2, degraded: 3, ok: 4 };

export const SORT_KEYS = ['severity', 'terminal', 'status', 'cause', 'since', 'confidence', 'model', 'region', 'carrier', 'merchant', 'version'] as const;

type Compare = (a: TerminalEntry, b: TerminalEntry) => number;

function cmpStr(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

function byTerminal(a: TerminalEntry, b: TerminalEntry): number {
  return a.terminal < b.terminal ? -1 : a.terminal > b.terminal ? 1 : 0;
}

function comparator(sort: string | undefined, order: 'asc' | 'desc' | undefined): Compare | undefined {
  const dir = order === 'desc' ? -1 : 1;
  const key = (SORT_KEYS as readonly string[]).includes(sort ?? '') ? sort! : 'severity';
  if (key === 'terminal') return dir === 1 ? undefined : (a, b) => -byTerminal(a, b);
  const primary: Compare =
    key === 'severity' || key === 'status'
      ? (a, b) => SEVERITY[a.status]! - SEVERITY[b.status]!
      : key === 'confidence'
        ? (a, b) => (a.confidence ?? -1) - (b.confidence ?? -1)
        : (a, b) => cmpStr(a[key as 'cause'], b[key as 'cause']);
  return (a, b) => dir * primary(a, b) || byTerminal(a, b);
}

export function matcher(q: TerminalListQuery): (e: TerminalEntry) => boolean {
  const tests: ((e: TerminalEntry) => boolean)[] = [];
  const oneOf = (values: string[] | undefined, pick: (e: TerminalEntry) => string | undefined) => {
    if (!values || values.length === 0) return;
    const set = new Set(values);
    tests.push((e) => set.has(pick(e) ?? ''));
  };
  oneOf(q.status, (e) => e.status);
  oneOf(q.category, (e) => e.category);
  oneOf(q.model, (e) => e.model);
  oneOf(q.region, (e) => e.region);
  oneOf(q.carrier, (e) => e.carrier);
  if (q.cause && q.cause.length > 0) {
    const set = new Set(q.cause);
    tests.push((e) => e.causes.some((c) => set.has(c)));
  }
  if (q.merchant) tests.push((e) => e.merchant === q.merchant);
  if (q.version) tests.push((e) => e.version === q.version);
  if (q.incident) tests.push((e) => e.incident === q.incident);
  if (q.search) {
    const s = q.search.trim().toUpperCase();
    if (s) tests.push((e) => e.terminal.toUpperCase().includes(s));
  }
  return (e) => tests.every((t) => t(e));
}

/** Inserts `e` into `top` (sorted by cmp, at most k long) when it belongs there. */
function keepTop(top: TerminalEntry[], e: TerminalEntry, k: number, cmp: Compare): void {
  if (top.length === k && cmp(e, top[k - 1]!) >= 0) return;
  let lo = 0;
  let hi = top.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(top[mid]!, e) <= 0) lo = mid + 1;
    else hi = mid;
  }
  top.splice(lo, 0, e);
  if (top.length > k) top.pop();
}

export function listEntries(entries: readonly TerminalEntry[], q: TerminalListQuery): { total: number; rows: TerminalEntry[] } {
  const offset = Math.max(0, q.offset ?? 0);
  const limit = Math.min(500, Math.max(1, q.limit ?? 50));
  const match = matcher(q);
  const cmp = comparator(q.sort, q.order);
  const k = offset + limit;
  let total = 0;
  if (!cmp) {
    const rows: TerminalEntry[] = [];
    for (const e of entries) {
      if (!match(e)) continue;
      if (total >= offset && rows.length < limit) rows.push(e);
      total++;
    }
    return { total, rows };
  }
  if (k > 20_000) {
    const all = entries.filter(match).sort(cmp);
    return { total: all.length, rows: all.slice(offset, k) };
  }
  const top: TerminalEntry[] = [];
  for (const e of entries) {
    if (!match(e)) continue;
    total++;
    keepTop(top, e, k, cmp);
  }
  return { total, rows: top.slice(offset, k) };
}

/** Every matching entry in the listing's order (for CSV export). */
export function orderedEntries(entries: readonly TerminalEntry[], q: TerminalListQuery): TerminalEntry[] {
  const all = entries.filter(matcher(q));
  const cmp = comparator(q.sort, q.order);
  return cmp ? all.sort(cmp) : all;
}
