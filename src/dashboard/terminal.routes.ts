// Terminal read routes: the paged list, its CSV export, one terminal's profile and its series.

import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { PosopsError } from '../domain/index.ts';
import { canSee, requireCaller, seesOf } from './caller.ts';
import type { Dashboard } from './dashboard.service.ts';
import type { DashboardCaller, DashboardDeps, TerminalEntry, TerminalListQuery } from './dashboard.types.ts';
import { incidentSummary } from './overview.routes.ts';
import { listEntries, orderedEntries, SORT_KEYS } from './terminal-list.ts';

const TAGS = ['dashboard'];
const LIST_FIELDS = ['status', 'cause', 'category', 'model', 'region', 'carrier'] as const;

type RawQuery = Partial<Record<(typeof LIST_FIELDS)[number] | 'merchant' | 'version' | 'search' | 'incident' | 'sort' | 'order', string>> & {
  offset?: number;
  limit?: number;
};

const str = { type: 'string', maxLength: 2000 } as const;
const querySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: str, cause: str, category: str, model: str, region: str, carrier: str, merchant: str, version: str, search: str, incident: str,
    sort: { type: 'string', enum: [...SORT_KEYS] },
    order: { type: 'string', enum: ['asc', 'desc'] },
    offset: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    limit: { type: 'integer', minimum: 1, maximum: 500 },
  },
} as const;
const terminalParams = { type: 'object', properties: { terminal: { type: 'string', maxLength: 64 } }, required: ['terminal'] } as const;

function toQuery(raw: RawQuery, caller: DashboardCaller): TerminalListQuery {
  const list = (v: string | undefined) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
  const q: TerminalListQuery = { merchant: raw.merchant, version: raw.version, search: raw.search, incident: raw.incident, sort: raw.sort, order: raw.order as TerminalListQuery['order'], offset: raw.offset, limit: raw.limit };
  for (const f of LIST_FIELDS) q[f] = list(raw[f]);
  if (caller.merchant) q.merchant = caller.merchant;
  return q;
}

export function rowOf(dashboard: Dashboard, e: TerminalEntry) {
  return {
    terminal: e.terminal, status: e.status, cause: e.cause, category: e.category, confidence: e.confidence, since: e.since,
    merchant: e.merchant, merchantName: e.merchant ? dashboard.view.merchantNames.get(e.merchant) : undefined,
    model: e.model, region: e.region, carrier: e.carrier, version: e.version, incident: e.incident ?? dashboard.incidents.terminalIncident.get(e.terminal),
  };
}

const CSV_COLUMNS = ['terminal', 'status', 'cause', 'category', 'confidence', 'since', 'merchant', 'merchantName', 'model', 'region', 'carrier', 'version', 'incident'] as const;

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function* csvLines(dashboard: Dashboard, entries: TerminalEntry[]): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\n`;
  for (let i = 0; i < entries.length; i += 1000) {
    yield entries.slice(i, i + 1000).map((e) => {
      const r = rowOf(dashboard, e) as Record<string, unknown>;
      return `${CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')}\n`;
    }).join('');
  }
}

/** The entries the caller may see (tenant scope from src/auth; merchant scope via the query). */
function entriesFor(dashboard: Dashboard, caller: DashboardCaller): TerminalEntry[] {
  const sees = seesOf(caller);
  return sees ? dashboard.view.entries.filter((e) => sees(e.terminal)) : dashboard.view.entries;
}

function visibleEntry(dashboard: Dashboard, caller: DashboardCaller, terminal: string): TerminalEntry {
  const e = dashboard.view.byId.get(terminal);
  if (!canSee(caller, e)) throw new PosopsError('FLEET_TERMINAL_NOT_FOUND', `no terminal ${terminal}`);
  return e;
}

export function registerTerminalRoutes(app: FastifyInstance, dashboard: Dashboard, deps: DashboardDeps): void {
  app.get<{ Querystring: RawQuery }>('/api/v1/terminals', { schema: { tags: TAGS, summary: 'Terminals, filtered, sorted and paged (comma-separated lists)', querystring: querySchema } }, async (request) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    const q = toQuery(request.query, caller);
    const { total, rows } = listEntries(entriesFor(dashboard, caller), q);
    return { total, offset: q.offset ?? 0, rows: rows.map((e) => rowOf(dashboard, e)) };
  });

  app.get<{ Querystring: RawQuery }>('/api/v1/terminals.csv', { schema: { tags: TAGS, summary: 'The same list as CSV (every page), streamed', querystring: querySchema } }, async (request, reply) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    const entries = orderedEntries(entriesFor(dashboard, caller), toQuery(request.query, caller));
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="terminals-${new Date(deps.now()).toISOString().slice(0, 10)}.csv"`);
    return reply.send(Readable.from(csvLines(dashboard, entries)));
  });

  app.get<{ Params: { terminal: string } }>('/api/v1/terminals/:terminal/profile', { schema: { tags: TAGS, summary: 'One terminal for its page: status, diagnoses, registry facts, incident', params: terminalParams } }, async (request) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    const e = visibleEntry(dashboard, caller, request.params.terminal);
    const incidentId = e.incident ?? dashboard.incidents.terminalIncident.get(e.terminal);
    const incident = incidentId ? dashboard.incidents.get(incidentId) : undefined;
    const series = await dashboard.series(e.terminal);
    return {
      terminal: e.terminal, status: e.status, diagnoses: e.diagnoses,
      facts: {
        merchant: e.merchant, merchantName: e.merchant ? dashboard.view.merchantNames.get(e.merchant) : undefined, model: e.model, region: e.region,
        carrier: e.carrier, host: e.host, sim_expires: e.sim_expires, lease_expires: e.lease_expires, installed: e.installed,
        firmware: series?.versions?.firmware, app: series?.versions?.app, apps: series?.apps,
      },
      incident: incident && caller.merchant === undefined ? incidentSummary(incident) : undefined,
    };
  });

  app.get<{ Params: { terminal: string } }>('/api/v1/terminals/:terminal/series', { schema: { tags: TAGS, summary: 'One terminal over time (half-hour buckets, last 48 h) and its latest events', params: terminalParams } }, async (request) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    const e = visibleEntry(dashboard, caller, request.params.terminal);
    return (await dashboard.series(e.terminal)) ?? { bucketMs: 30 * 60_000, points: [], events: [] };
  });
}
