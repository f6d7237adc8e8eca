// Routes without authentication: health, Prometheus metrics, the OpenAPI document.

import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from './metrics.ts';

export function systemRoutes(metrics: ServerMetrics) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/health',
      {
        schema: {
          summary: 'Whether the server can take events',
          tags: ['system'],
          response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } },
        },
      },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/metrics',
      { schema: { summary: 'Prometheus metrics', tags: ['system'], produces: ['text/plain'], response: { 200: { type: 'string' } } } },
      async (_request, reply) => {
        const text = await metrics.registry.metrics();
        return reply.type(metrics.registry.contentType).send(text);
      },
    );
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  };
}
