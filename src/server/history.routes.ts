// A terminal's past: its diagnosis history (opened, updated, cleared), newest first, from the store.

import type { FastifyInstance } from 'fastify';
import { PosopsError } from '../domain/index.ts';
import type { DiagnosisHistoryRow } from '../store/index.ts';
import { diagnosisSchema, errorSchema } from './schemas.ts';

export interface HistoryDeps {
  history(query: { terminal: string; from?: string; limit?: number }): Promise<DiagnosisHistoryRow[]>;
}

const historyRowSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    terminal: { type: 'string' },
    cause: { type: 'string' },
    kind: { type: 'string', enum: ['opened', 'updated', 'cleared'] },
    at: { type: 'string' },
    diagnosis: diagnosisSchema,
  },
} as const;

interface HistoryRequest {
  Params: { terminal: string };
  Querystring: { from?: string; limit?: number };
}

export function historyRoutes(deps: HistoryDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<HistoryRequest>(
      '/api/v1/terminals/:terminal/history',
      {
        schema: {
          summary: "A terminal's diagnosis history: causes opened, updated and cleared, newest first",
          tags: ['diagnosis'],
          params: { type: 'object', required: ['terminal'], properties: { terminal: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } } },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              from: { type: 'string', format: 'date-time', description: 'only changes at or after this time' },
              limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            },
          },
          response: { 200: { type: 'array', items: historyRowSchema }, 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { terminal } = request.params;
        const principal = request.principal;
        const visible = principal?.sees ? principal.sees(terminal) : principal?.kind !== 'terminal' || principal.terminal === terminal;
        if (!visible) throw new PosopsError('FLEET_TERMINAL_NOT_FOUND', `terminal ${terminal} is not in your part of the fleet`);
        const rows = await deps.history({ terminal, from: request.query.from, limit: request.query.limit });
        return rows.map(({ id: _id, ...row }) => row);
      },
    );
  };
}
