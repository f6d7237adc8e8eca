// Every route of the real server (collected from Fastify's onRoute) × every role, an API token, a
// terminal and no credentials × a terminal of the caller's own tenant and of another tenant.
// The expectations below are written independently of src/auth/policy.ts; a route that is missing
// here fails the test, so a new route must state who may use it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROLES } from '../../src/auth/index.ts';
import { OTHER, OWN, startMatrixServer, type MatrixServer, type Who } from './access-matrix.fixture.ts';

const ALL = [...ROLES, 'admin-root'] as const;
const STAFF = ['admin', 'ops', 'technician', 'auditor', 'admin-root'] as const;
const MANAGE = ['admin', 'ops', 'admin-root'] as const;

interface Expect {
  /** Who may use it; everyone else gets 403 (401 without credentials). */
  allow: readonly Who[];
  body?: unknown;
}

const event = () => ({ v: 1, id: `m${Math.random().toString(36).slice(2)}`, type: 'heartbeat', terminal: OWN, ts: new Date().toISOString(), printer: 'ok' });

const EXPECT: Record<string, Expect> = {
  'POST /api/v1/auth/logout': { allow: ALL },
  'GET /api/v1/auth/me': { allow: ALL },
  'POST /api/v1/auth/password': { allow: ALL, body: { password: 'short' } },
  'GET /api/v1/tokens': { allow: MANAGE },
  'POST /api/v1/tokens': { allow: MANAGE, body: { name: 'n', scopes: ['diagnoses:read'] } },
  'DELETE /api/v1/tokens/:id': { allow: MANAGE },
  'GET /api/v1/users': { allow: ['admin', 'auditor', 'admin-root'] },
  'POST /api/v1/users': { allow: ['admin', 'admin-root'], body: { username: 'x', role: 'nope', password: 'x' } },
  'GET /api/v1/audit': { allow: ['admin', 'auditor', 'admin-root'] },
  'GET /api/v1/audit.csv': { allow: ['admin', 'auditor', 'admin-root'] },
  'GET /api/v1/audit/verify': { allow: ['admin', 'auditor', 'admin-root'] },
  'GET /api/v1/notifications': { allow: STAFF },
  'POST /api/v1/terminals/:terminal/secret': { allow: MANAGE },
  'POST /api/v1/terminals/:terminal/unlock': { allow: ['admin', 'admin-root'], body: { reason: 'checked on site' } },
  'POST /api/v1/events': { allow: [...MANAGE, 'terminal'], body: event() },
  'GET /api/v1/terminals/:terminal': { allow: [...ALL, 'token'] },
  'GET /api/v1/diagnosis': { allow: [...ALL, 'token'] },
  'GET /api/v1/incidents': { allow: [...ALL, 'token'] },
  'GET /api/v1/causes': { allow: ALL },
  'GET /api/v1/dashboard/me': { allow: ALL },
  'GET /api/v1/dashboard/overview': { allow: STAFF },
  'GET /api/v1/dashboard/facets': { allow: ALL },
  'GET /api/v1/dashboard/incidents': { allow: STAFF },
  'GET /api/v1/dashboard/incidents/:id': { allow: STAFF },
  'GET /api/v1/terminals': { allow: ALL },
  'GET /api/v1/terminals.csv': { allow: ALL },
  'GET /api/v1/terminals/:terminal/profile': { allow: ALL },
  'GET /api/v1/terminals/:terminal/series': { allow: ALL },
  'GET /api/v1/terminals/:terminal/history': { allow: [...ALL, 'token'] },
  'GET /api/v1/stream': { allow: ALL },
};

const WHO: readonly Who[] = ['anonymous', 'terminal', 'token', ...ROLES, 'admin-root'];
let s: MatrixServer;

before(async () => {
  s = await startMatrixServer();
});
after(async () => {
  await s?.close();
});

async function call(method: string, path: string, who: Who, body?: unknown): Promise<number> {
  const headers: Record<string, string> = {};
  const auth = s.auth[who];
  if (auth) headers['authorization'] = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const abort = new AbortController();
  const res = await fetch(`${s.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: abort.signal });
  if (res.status === 200 && path === `/api/v1/terminals/${OWN}/secret`) {
    // the secret was rotated: the terminal goes on with the new one (the old one no longer works)
    const { secret } = (await res.json()) as { secret: string };
    s.auth.terminal = `Basic ${Buffer.from(`${OWN}:${secret}`).toString('base64')}`;
  }
  abort.abort(); // the live stream never ends by itself
  return res.status;
}

function pathOf(url: string, terminal: string): string {
  return url.replace(':terminal', terminal).replace(':id', 'none');
}

test('every /api/v1 route the server registers has an expectation in the access matrix', () => {
  const routes = s.server.auth!.routes().filter((r) => r.split(' ')[1]!.startsWith('/api/v1') && r !== 'POST /api/v1/auth/login');
  assert.ok(routes.length >= Object.keys(EXPECT).length - 2, `few routes collected: ${routes.join(', ')}`);
  const missing = routes.filter((r) => !EXPECT[r]);
  assert.deepEqual(missing, [], `routes without an access expectation: ${missing.join(', ')}`);
  assert.deepEqual(s.server.auth!.unlisted(), [], 'routes without a rule in src/auth/policy.ts');
});

test('a tenant-bound user sees only its own terminals in the diagnosis and the terminal list', async () => {
  await call('POST', '/api/v1/events', 'admin-root', [event(), { ...event(), terminal: OTHER }]);
  const res = await fetch(`${s.url}/api/v1/terminals.csv`, { headers: { authorization: s.auth.ops! } });
  const csv = await res.text();
  assert.match(csv, new RegExp(OWN));
  assert.doesNotMatch(csv, new RegExp(OTHER));
  const d = (await (await fetch(`${s.url}/api/v1/diagnosis`, { headers: { authorization: s.auth.token! } })).json()) as { terminals: { terminal: string }[] };
  assert.ok(d.terminals.every((t) => t.terminal === OWN), JSON.stringify(d.terminals));
});

test('access matrix: 401 without credentials, 403 outside the role, 404 for another tenant’s terminal, allowed otherwise', { timeout: 120_000 }, async () => {
  const failures: string[] = [];
  const routes = s.server.auth!.routes().filter((r) => EXPECT[r]);
  const last = (r: string) => (r === 'POST /api/v1/auth/logout' ? 1 : 0); // logout revokes the session: run it last
  for (const route of routes.sort((a, b) => last(a) - last(b))) {
    const [method, url] = route.split(' ') as [string, string];
    const exp = EXPECT[route]!;
    const targets = url.includes(':terminal') ? [OWN, OTHER] : [OWN];
    for (const who of WHO) {
      for (const target of targets) {
        const status = await call(method, pathOf(url, target), who, exp.body);
        const allowed = exp.allow.includes(who);
        const scoped = who !== 'admin-root' && target === OTHER;
        const ok =
          who === 'anonymous' ? status === 401
          : !allowed ? status === 403
          : scoped ? status === 404
          : status !== 401 && status !== 403 && status < 500 && !(url.includes(':terminal') && status === 404);
        if (!ok) failures.push(`${route} as ${who} on ${target}: ${status}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('public routes answer without credentials and carry the security headers', async () => {
  for (const path of ['/health', '/metrics']) {
    const res = await fetch(`${s.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  }
});

