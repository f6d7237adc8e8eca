// Fleet-wide read routes: the cause catalogue, the overview figures, filter choices, incidents, who am I.

import type { FastifyInstance } from 'fastify';
import { CAUSES, CAUSE_CODES, CATEGORIES, PosopsError } from '../domain/index.ts';
import { requireCaller, requireStaff, seesOf } from './caller.ts';
import type { Dashboard } from './dashboard.service.ts';
import type { DashboardDeps, TrackedIncident } from './dashboard.types.ts';
import { contractsBetween, figuresFor, type FleetFigures } from './fleet-scope.ts';
import type { TroubleCounts } from './fleet-view.ts';
import { StatusHistory } from './status-history.ts';

const DAY = 24 * 3600_000;
const TAGS = ['dashboard'];

/** The status chart: the server's samples for the whole fleet; for a part of it, estimated from its diagnoses. */
function historyFor(dashboard: Dashboard, f: FleetFigures, now: number) {
  if (!f.scoped) return { day: dashboard.history.window(now, DAY, f.byStatus), week: dashboard.history.window(now, 7 * DAY, f.byStatus) };
  const part = new StatusHistory();
  part.estimate(now, f.entries);
  return { day: part.window(now, DAY, f.byStatus), week: part.window(now, 7 * DAY, f.byStatus) };
}

function topTrouble(map: Map<string, TroubleCounts>, n: number) {
  return [...map.entries()]
    .map(([name, c]) => ({ name, ...c, total: c.degraded + c.faulty + c.offline + c.locked }))
    .filter((r) => r.total > 0)
    .sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1))
    .slice(0, n);
}

export function incidentSummary(i: TrackedIncident) {
  return { id: i.id, cause: i.cause, scope: i.scope, count: i.terminals.length, since: i.since, open: i.open, closedAt: i.closedAt };
}

export function registerOverviewRoutes(app: FastifyInstance, dashboard: Dashboard, deps: DashboardDeps): void {
  app.get('/api/v1/causes', { schema: { tags: TAGS, summary: 'The cause catalogue: codes, categories, zh-CN/en names, remedies' } }, async (request) => {
    requireCaller(deps, request);
    return { categories: CATEGORIES, causes: CAUSE_CODES.map((c) => CAUSES[c]) };
  });

  app.get('/api/v1/dashboard/me', { schema: { tags: TAGS, summary: 'The caller as the dashboard sees it (role, merchant)' } }, async (request) => {
    const caller = requireCaller(deps, request);
    return { ...caller, merchantName: caller.merchant ? dashboard.view.merchantNames.get(caller.merchant) : undefined };
  });

  app.get('/api/v1/dashboard/overview', { schema: { tags: TAGS, summary: 'Fleet figures for the overview page (the caller\'s part of the fleet)' } }, async (request) => {
    const sees = seesOf(requireStaff(deps, request));
    await dashboard.ready;
    const now = deps.now();
    const f = figuresFor(dashboard.view, sees);
    const contracts = contractsBetween(f.contracts, now, now + 30 * DAY);
    const incidents = dashboard.incidents.list().filter((i) => i.open && (!sees || i.terminals.some(sees)));
    return {
      at: new Date(now).toISOString(),
      total: f.entries.length,
      byStatus: f.byStatus,
      byCategory: [...f.byCategory.entries()].map(([category, count]) => ({ category, count })).sort((a, b) => b.count - a.count),
      byCause: [...f.byCause.entries()].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count),
      history: historyFor(dashboard, f, now),
      incidents: { open: incidents.length, items: incidents.slice(0, 10).map((i) => incidentSummary(sees ? { ...i, terminals: i.terminals.filter(sees) } : i)) },
      byRegion: topTrouble(f.byRegion, 12),
      byModel: topTrouble(f.byModel, 12),
      contracts: { total: contracts.length, items: contracts.slice(0, 20) },
    };
  });

  app.get('/api/v1/dashboard/facets', { schema: { tags: TAGS, summary: 'Choices for the terminal list filters (from the caller\'s part of the fleet)' } }, async (request) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    const sees = seesOf(caller);
    const merchant = caller.merchant;
    const f = figuresFor(dashboard.view, merchant === undefined ? sees : (t) => dashboard.view.byId.get(t)?.merchant === merchant && (!sees || sees(t)));
    const versions = [...f.versions.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50).map(([v]) => v);
    return { ...f.facets, versions };
  });

  app.get('/api/v1/dashboard/incidents', { schema: { tags: TAGS, summary: 'Incidents, open first, newest first' } }, async (request) => {
    const sees = seesOf(requireStaff(deps, request));
    await dashboard.ready;
    const incidents = dashboard.incidents.list().filter((i) => !sees || i.terminals.some(sees));
    return { incidents: incidents.map(incidentSummary) };
  });

  app.get<{ Params: { id: string } }>(
    '/api/v1/dashboard/incidents/:id',
    { schema: { tags: TAGS, summary: 'One incident with its terminals and the timeline of joins and leaves', params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] } } },
    async (request) => {
      const sees = seesOf(requireStaff(deps, request));
      await dashboard.ready;
      const found = dashboard.incidents.get(request.params.id);
      // a tenant sees an incident only through its own terminals
      const i = found && sees ? (found.terminals.some(sees) ? { ...found, terminals: found.terminals.filter(sees) } : undefined) : found;
      if (!i) throw new PosopsError('INCIDENT_NOT_FOUND', `no incident ${request.params.id}`);
      const terminals = i.terminals.slice(0, 1000).map((t) => {
        const e = dashboard.view.byId.get(t);
        return { terminal: t, status: e?.status, merchant: e?.merchant, region: e?.region, model: e?.model, carrier: e?.carrier };
      });
      return { ...incidentSummary(i), evidence: i.evidence, evidence_zh: i.evidence_zh, timeline: i.timeline, terminals };
    },
  );
}
