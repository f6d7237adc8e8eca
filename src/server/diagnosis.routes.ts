// Diagnosis routes: one terminal, the whole fleet report, the incidents. The engine is asked at the
// server's clock (`now`): the server may read the clock, the engine may not.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PosopsError, type DiagnosisReport, type Incident, type RegistryTerminal } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import { errorSchema, incidentSchema, reportSchema, terminalDiagnosisSchema } from './schemas.ts';

export interface DiagnosisDeps {
  engine: Engine;
  now: () => number;
  /** Registry facts about one terminal (from the store). */
  findTerminal: (terminal: string) => Promise<RegistryTerminal | undefined>;
}

const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** Open incidents first (an incident with `ended` set is closed), then the most recent first. */
export function orderIncidents(incidents: readonly Incident[]): Incident[] {
  const closed = (i: Incident) => (typeof (i as unknown as Record<string, unknown>)['ended'] === 'string' ? 1 : 0);
  return [...incidents].sort((a, b) => closed(a) - closed(b) || b.since.localeCompare(a.since));
}

/** The caller's part of the report: its terminals, and incidents narrowed to them (src/auth sets `sees`). */
export function visibleReport(request: FastifyRequest, report: DiagnosisReport): DiagnosisReport {
  const sees = request.principal?.sees;
  if (!sees) return report;
  const incidents = report.incidents
    .map((i) => ({ ...i, terminals: i.terminals.filter(sees) }))
    .filter((i) => i.terminals.length > 0);
  return { ...report, terminals: report.terminals.filter((t) => sees(t.terminal)), incidents };
}

export function diagnosisRoutes(deps: DiagnosisDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { terminal: string } }>(
      '/api/v1/terminals/:terminal',
      {
        schema: {
          summary: 'One terminal: status, diagnoses (spec/causes.md) and registry facts',
          tags: ['diagnosis'],
          params: { type: 'object', required: ['terminal'], properties: { terminal: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } } },
          response: { 200: terminalDiagnosisSchema, ...errors },
        },
      },
      async (request) => {
        const id = request.params.terminal;
        if (request.principal?.sees && !request.principal.sees(id)) throw new PosopsError('FLEET_TERMINAL_NOT_FOUND', `no terminal ${id}`);
        const registry = await deps.findTerminal(id);
        const entry = deps.engine.terminal(id, deps.now());
        if (!entry && !registry) throw new PosopsError('FLEET_TERMINAL_NOT_FOUND', `terminal ${id} is not in the registry and has sent no events`);
        // a registered terminal that has sent nothing yet has nothing wrong known about it
        return { ...(entry ?? { terminal: id, status: 'ok', diagnoses: [] }), ...(registry ? { registry } : {}) };
      },
    );
    app.get(
      '/api/v1/diagnosis',
      { schema: { summary: 'The whole diagnosis (spec/causes.md) at the server clock', tags: ['diagnosis'], response: { 200: reportSchema, ...errors } } },
      async (request) => visibleReport(request, deps.engine.diagnose(deps.now())),
    );
    app.get(
      '/api/v1/incidents',
      {
        schema: {
          summary: 'Fleet incidents, open first',
          tags: ['diagnosis'],
          response: { 200: { type: 'array', items: incidentSchema }, ...errors },
        },
      },
      async (request) => orderIncidents(visibleReport(request, { at: '', terminals: [], incidents: deps.engine.incidents(deps.now()) }).incidents),
    );
  };
}
