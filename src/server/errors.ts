// The one error handler: PosopsError → {"error":{"code","message"}} with its status; Fastify's own
// errors (validation, body too large, bad content) → the same shape with a catalogue code.

import type { FastifyError, FastifyInstance } from 'fastify';
import { isPosopsError, type ErrorCode } from '../domain/index.ts';

const RETRY_AFTER_SECONDS = '1';

function body(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

export function installErrorHandler(app: FastifyInstance, maxBodyBytes: number): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isPosopsError(err)) {
      if (err.code === 'INGEST_OVERLOADED' || err.code === 'RATE_LIMITED' || err.code === 'STORE_UNAVAILABLE') {
        reply.header('Retry-After', RETRY_AFTER_SECONDS);
      }
      if (err.statusCode >= 500) request.log.error({ err }, err.message);
      return reply.status(err.statusCode).send(body(err.code, err.message));
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const message = err.message.startsWith(where) ? err.message : `${where}: ${err.message}`;
      return reply.status(400).send(body('REQUEST_INVALID', message));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(body('INGEST_BODY_TOO_LARGE', `the request body is larger than the limit of ${maxBodyBytes} bytes; send smaller batches`));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(body('REQUEST_INVALID', err.message));
    request.log.error({ err }, 'unexpected error');
    return reply.status(500).send(body('SERVER_INTERNAL', 'internal error; see the server log'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(body('REQUEST_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
}
