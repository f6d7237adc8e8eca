// Builds the HTTP application and opens nothing (Fastify testing guide: build versus start).
// Tests call createApp(deps) and use app.inject(); src/server/runtime.ts owns listeners.

import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { RegistryTerminal } from '../domain/index.ts';
import type { Engine } from '../engine/index.ts';
import type { Ingestor } from '../ingest/index.ts';
import type { Config } from '../config.ts';
import { authPreHandler, type Authenticator } from './auth-hook.ts';
import { diagnosisRoutes } from './diagnosis.routes.ts';
import { installErrorHandler } from './errors.ts';
import { eventsRoutes } from './events.routes.ts';
import { historyRoutes, type HistoryDeps } from './history.routes.ts';
import { createMetrics, type ServerMetrics } from './metrics.ts';
import { systemRoutes } from './system.routes.ts';

export interface AppDeps {
  config: Pick<Config, 'maxBodyBytes' | 'logLevel'>;
  ingestor: Ingestor;
  engine: Engine;
  authenticator: Authenticator;
  /** Registry facts about one terminal; none when absent. */
  findTerminal?: (terminal: string) => Promise<RegistryTerminal | undefined>;
  /** A terminal's diagnosis history (the store); without it the history route is not offered. */
  history?: HistoryDeps['history'];
  /** The clock diagnoses are made at; defaults to Date.now. */
  now?: () => number;
  metrics?: ServerMetrics;
  /** Routes of other capabilities (login, fleet, dashboard…), registered behind the same auth hook. */
  plugins?: FastifyPluginAsync[];
}

export function createApp(deps: AppDeps): FastifyInstance {
  const app = Fastify({
    // no credential ever reaches the log, even if a request or its body gets logged
    logger: { level: deps.config.logLevel, redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.password', '*.token', '*.secret'], censor: '[redacted]' } },
    bodyLimit: deps.config.maxBodyBytes,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { allErrors: false } },
  });
  const metrics = deps.metrics ?? createMetrics(deps.ingestor);
  installErrorHandler(app, deps.config.maxBodyBytes);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unknown', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('preHandler', authPreHandler(deps.authenticator));
  if (deps.authenticator.onRoute) app.addHook('onRoute', (route) => deps.authenticator.onRoute?.(route));

  void app.register(swagger, {
    openapi: {
      info: { title: 'posops', description: 'Why POS terminals stop working, and what to do about it', version: '1' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          terminal: { type: 'http', scheme: 'basic', description: 'terminal ID and secret' },
        },
      },
      security: [{ bearer: [] }, { terminal: [] }],
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });
  void app.register(systemRoutes(metrics));
  void app.register(eventsRoutes(deps.ingestor, deps.config.maxBodyBytes));
  void app.register(
    diagnosisRoutes({
      engine: deps.engine,
      now: deps.now ?? Date.now,
      findTerminal: deps.findTerminal ?? (async () => undefined),
    }),
  );
  if (deps.history) void app.register(historyRoutes({ history: deps.history }));
  for (const plugin of deps.plugins ?? []) void app.register(plugin);
  return app;
}
