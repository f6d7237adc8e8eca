// The dashboard's server side: read routes over a fleet view kept current from the engine's diagnosis,
// a live stream, and the built web app.

import type { FastifyInstance } from 'fastify';
import { Dashboard } from './dashboard.service.ts';
import type { DashboardDeps } from './dashboard.types.ts';
import { registerOverviewRoutes } from './overview.routes.ts';
import { registerStreamRoutes } from './stream.routes.ts';
import { registerTerminalRoutes } from './terminal.routes.ts';

export type * from './dashboard.types.ts';
export { Dashboard } from './dashboard.service.ts';
export { callerFromPrincipal } from './caller.ts';
export { serveWebApp, WEB_DIST } from './web-app.ts';

/**
 * Adds the dashboard's routes to `app` (call it after the auth hook is added, so the hook guards them):
 * GET /api/v1/causes, /api/v1/terminals, /api/v1/terminals.csv, /api/v1/terminals/:terminal/{profile,series},
 * /api/v1/dashboard/{me,overview,facets,incidents,incidents/:id}, /api/v1/stream.
 * Returns the Dashboard (call `refresh()` after the engine changed, `reloadRegistry()` after an import).
 */
export function registerDashboardRoutes(app: FastifyInstance, deps: DashboardDeps): Dashboard {
  const dashboard = new Dashboard(deps);
  dashboard.ready.catch((err: unknown) => app.log.error({ err }, 'the dashboard could not read the first diagnosis'));
  app.addHook('onClose', async () => dashboard.close());
  registerOverviewRoutes(app, dashboard, deps);
  registerTerminalRoutes(app, dashboard, deps);
  registerStreamRoutes(app, dashboard, deps);
  return dashboard;
}
