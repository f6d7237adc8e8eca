// GET /api/v1/stream: server-sent events with new diagnoses and incidents, so the dashboard updates
// without reload. A merchant's stream carries only its own terminals and no incidents.

import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { requireCaller, seesOf } from './caller.ts';
import type { Dashboard } from './dashboard.service.ts';
import type { DashboardDeps, LiveMessage } from './dashboard.types.ts';

const PING_MS = 15_000;

function forCaller(m: LiveMessage, merchant: string | undefined, sees?: (terminal: string) => boolean, incidentTerminals?: (id: string) => readonly string[]): LiveMessage | undefined {
  if (merchant === undefined && !sees) return m;
  // a tenant's stream carries only incidents touching its own terminals (src/auth sets `sees`)
  if (m.type === 'incident') return merchant === undefined && sees && (incidentTerminals?.(m.incident.id) ?? []).some(sees) ? m : undefined;
  const terminals = m.terminals.filter((t) => (merchant === undefined || t.merchant === merchant) && (!sees || sees(t.terminal)));
  return terminals.length ? { ...m, terminals, more: 0 } : undefined;
}

export function registerStreamRoutes(app: FastifyInstance, dashboard: Dashboard, deps: DashboardDeps): void {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const raw of open) raw.end();
    open.clear();
  });

  app.get('/api/v1/stream', { schema: { tags: ['dashboard'], summary: 'Live diagnoses and incidents as server-sent events (text/event-stream)' } }, async (request, reply) => {
    const caller = requireCaller(deps, request);
    await dashboard.ready;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`event: hello\ndata: ${JSON.stringify({ at: new Date(deps.now()).toISOString() })}\n\n`);
    open.add(raw);
    const off = dashboard.listen((m) => {
      const out = forCaller(m, caller.merchant, seesOf(caller), (id) => dashboard.incidents.get(id)?.terminals ?? []);
      if (out) raw.write(`event: ${out.type}\ndata: ${JSON.stringify(out)}\n\n`);
    });
    const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
    ping.unref();
    request.raw.socket.on('close', () => {
      off();
      clearInterval(ping);
      open.delete(raw);
    });
  });
}
