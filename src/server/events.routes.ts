// POST /api/v1/events: one event object, a JSON array, or NDJSON. Answers once the accepted events
// are durable. Registered in its own plugin so its body parsers (raw buffers, decoded here) do not
// change how other routes read JSON.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestSource, Ingestor } from '../ingest/index.ts';
import { decodeEventsBody } from './events.body.ts';
import { errorSchema } from './schemas.ts';

const resultSchema = {
  type: 'object',
  required: ['accepted', 'duplicates', 'rejected'],
  properties: {
    accepted: { type: 'integer', description: 'events accepted and durable' },
    duplicates: { type: 'integer', description: 'events already received before (same terminal and id)' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer', description: 'position in the array, or 0-based line number for NDJSON' },
          error: { type: 'string', description: 'what is wrong, naming the field' },
        },
      },
    },
  },
} as const;

const bodyDoc = {
  description: 'one event (spec/events.md), a JSON array of events, or NDJSON (Content-Type: application/x-ndjson)',
  oneOf: [{ type: 'object', additionalProperties: true }, { type: 'array', items: { type: 'object', additionalProperties: true } }],
};

function sourceOf(request: FastifyRequest): IngestSource {
  const principal = request.principal;
  return principal?.kind === 'terminal' && principal.terminal ? { transport: 'http', terminal: principal.terminal } : { transport: 'http' };
}

export function eventsRoutes(ingestor: Ingestor, maxBodyBytes: number) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBodyBytes }, (_req, body, done) => done(null, body));
    app.post(
      '/api/v1/events',
      {
        bodyLimit: maxBodyBytes,
        // the body is decoded and validated per event by the ingestor; the schema documents it only
        validatorCompiler: () => () => true,
        schema: {
          summary: 'Send events',
          tags: ['events'],
          consumes: ['application/json', 'application/x-ndjson'],
          body: bodyDoc,
          response: { 200: resultSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema, 413: errorSchema, 503: errorSchema },
        },
      },
      async (request) => {
        const decoded = decodeEventsBody(request.body as Buffer | undefined, request.headers['content-type']);
        const result = await ingestor.ingest(decoded.items, sourceOf(request));
        const rejected = result.rejected.map((r) => ({ index: decoded.indexes[r.index] ?? r.index, error: r.error }));
        return { accepted: result.accepted, duplicates: result.duplicates, rejected };
      },
    );
  };
}
