// Serves the built dashboard (web/dist) at `/`, with the pre-compressed .gz files when the browser takes
// gzip, and index.html for every other non-API path (the app routes on the client).

import { existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const WEB_DIST = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../web/dist');
const NOT_APP = /^\/(api|docs|openapi\.json|metrics|health)(\/|$)/;

const MISSING = `<!doctype html><meta charset="utf-8"><title>posops</title>
<p>The dashboard is not built yet. Run <code>npm run build</code>, then reload. 控制台尚未构建：请先运行 <code>npm run build</code>。</p>`;

export async function serveWebApp(app: FastifyInstance, root: string = WEB_DIST): Promise<void> {
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true, index: false, cacheControl: false });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = decodeURIComponent((request.raw.url ?? '/').split('?')[0]!);
    if (NOT_APP.test(path)) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${path}` } });
    if (!existsSync(join(root, 'index.html'))) return reply.type('text/html; charset=utf-8').send(MISSING);
    const file = normalize(path).replace(/^([/\\])+/, '');
    const full = join(root, file);
    if (file && full.startsWith(root + sep) && existsSync(full) && statSync(full).isFile()) {
      const immutable = file.startsWith(`assets${sep}`);
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(file);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
