// HTTP adapter of the auth part: login/logout, API tokens, users, audit log (+CSV, verify),
// notifications, terminal secrets and unlock. Rights are checked by the rule table (policy.ts)
// before a handler runs; handlers narrow to the caller's tenant.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPosopsError, PosopsError } from '../domain/index.ts';
import { listAudit, verifyAuditChain, type AuditEntry } from './audit.ts';
import { actorOf, type Auth } from './auth.service.ts';
import type { AuthPrincipal } from './auth.types.ts';
import { listNotifications } from './fleet.repository.ts';
import { login, logout } from './login.service.ts';
import { addUser, createApiToken, deleteApiToken, issueTerminalSecret, resetPassword } from './people.service.ts';
import { findApiToken, listApiTokens, listUsers } from './users.repository.ts';

const SMALL = 16 * 1024;
const str = (max = 200) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const TAGS = ['auth'];

function principal(request: FastifyRequest): AuthPrincipal {
  return request.principal as AuthPrincipal;
}

/** The tenants whose records the caller may see; undefined: all. */
async function tenantsOf(auth: Auth, p: AuthPrincipal): Promise<ReadonlySet<string> | undefined> {
  return p.tenant ? (await auth.tenancy.current()).subtree(p.tenant) : undefined;
}

function retryAfter(reply: FastifyReply, err: unknown): never {
  const wait = isPosopsError(err) ? (err.details as { retryAfter?: number } | undefined)?.retryAfter : undefined;
  if (wait) reply.header('Retry-After', String(wait));
  throw err;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'actor_kind', 'tenant', 'address', 'action', 'target', 'before', 'after', 'prev_hash', 'hash'] as const;

function auditCsv(rows: AuditEntry[]): string {
  const lines = rows.map((r) => AUDIT_COLUMNS.map((c) => csvCell((r as unknown as Record<string, unknown>)[c])).join(','));
  return `${AUDIT_COLUMNS.join(',')}\n${lines.map((l) => `${l}\n`).join('')}`;
}

function registerSessionRoutes(app: FastifyInstance, auth: Auth): void {
  app.post<{ Body: { username: string; password: string } }>('/api/v1/auth/login', {
    bodyLimit: SMALL,
    schema: { tags: TAGS, summary: 'Log in: an opaque session token with its expiry', body: { type: 'object', required: ['username', 'password'], properties: { username: str(64), password: str(1024) } } },
  }, async (request, reply) => {
    try {
      return await login(auth.login, request.body.username, request.body.password, request.ip);
    } catch (err) {
      retryAfter(reply, err);
    }
  });
  app.post('/api/v1/auth/logout', { bodyLimit: SMALL, schema: { tags: TAGS, summary: 'Revoke the session token used for this request' } }, async (request) => {
    const session = principal(request).session;
    if (session) await logout(auth.store, session);
    return { ok: true };
  });
  app.get('/api/v1/auth/me', { schema: { tags: TAGS, summary: 'Who the caller is' } }, async (request) => {
    const p = principal(request);
    return { kind: p.kind, id: p.id, role: p.role, tenant: p.tenant, merchant: p.merchant, scopes: p.scopes, must_change_password: p.mustChangePassword ?? false };
  });
  app.post<{ Body: { password: string } }>('/api/v1/auth/password', {
    bodyLimit: SMALL,
    schema: { tags: TAGS, summary: 'Change the caller’s own password (logs out every session)', body: { type: 'object', required: ['password'], properties: { password: str(1024) } } },
  }, async (request) => {
    const p = principal(request);
    if (p.kind !== 'user') throw new PosopsError('AUTH_FORBIDDEN', 'only people have passwords');
    await resetPassword(auth.store, actorOf(request), p.id, request.body.password);
    return { ok: true };
  });
}

function registerTokenRoutes(app: FastifyInstance, auth: Auth): void {
  app.get('/api/v1/tokens', { schema: { tags: TAGS, summary: 'API tokens (without their secrets)' } }, async (request) => {
    const tenants = await tenantsOf(auth, principal(request));
    return { tokens: (await listApiTokens(auth.store)).filter((t) => !tenants || (t.tenant && tenants.has(t.tenant))) };
  });
  app.post<{ Body: { name: string; scopes: string[]; tenant?: string } }>('/api/v1/tokens', {
    bodyLimit: SMALL,
    schema: { tags: TAGS, summary: 'Create an API token bound to a tenant; the token is shown once', body: { type: 'object', required: ['name', 'scopes'], properties: { name: str(100), scopes: { type: 'array', maxItems: 10, items: str(40) }, tenant: str(64) } } },
  }, async (request, reply) => {
    const p = principal(request);
    const tenant = request.body.tenant ?? p.tenant;
    const tenants = await tenantsOf(auth, p);
    if (tenants && (!tenant || !tenants.has(tenant))) throw new PosopsError('AUTH_FORBIDDEN', 'a token can be bound only to the caller’s tenant or one below it');
    const made = await createApiToken(auth.store, actorOf(request), { name: request.body.name, scopes: request.body.scopes, tenant });
    return reply.status(201).send({ token: made.token, ...made.info });
  });
  app.delete<{ Params: { id: string } }>('/api/v1/tokens/:id', { schema: { tags: TAGS, summary: 'Revoke an API token', params: { type: 'object', properties: { id: str(64) } } } }, async (request) => {
    const tenants = await tenantsOf(auth, principal(request));
    const t = await findApiToken(auth.store, request.params.id);
    if (!t || (tenants && !(t.tenant && tenants.has(t.tenant)))) throw new PosopsError('REQUEST_NOT_FOUND', `no token ${request.params.id}`);
    await deleteApiToken(auth.store, actorOf(request), t.id);
    return { ok: true };
  });
}

function registerAdminRoutes(app: FastifyInstance, auth: Auth): void {
  app.get('/api/v1/users', { schema: { tags: TAGS, summary: 'Users of the caller’s tenant subtree' } }, async (request) => {
    const tenants = await tenantsOf(auth, principal(request));
    return { users: (await listUsers(auth.store)).filter((u) => !tenants || (u.tenant && tenants.has(u.tenant))) };
  });
  app.post<{ Body: { username: string; role: string; tenant?: string; merchant?: string; password: string } }>('/api/v1/users', {
    bodyLimit: SMALL,
    schema: { tags: TAGS, summary: 'Add a user', body: { type: 'object', required: ['username', 'role', 'password'], properties: { username: str(64), role: str(20), tenant: str(64), merchant: str(64), password: str(1024) } } },
  }, async (request, reply) => {
    const p = principal(request);
    const tenants = await tenantsOf(auth, p);
    const tenant = request.body.tenant ?? p.tenant;
    if (tenants && (!tenant || !tenants.has(tenant))) throw new PosopsError('AUTH_FORBIDDEN', 'users can be added only to the caller’s tenant or one below it');
    return reply.status(201).send(await addUser(auth.store, actorOf(request), { ...request.body, tenant }));
  });
  const auditQuery = { type: 'object', additionalProperties: false, properties: { before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 10_000 } } } as const;
  app.get<{ Querystring: { before?: number; limit?: number } }>('/api/v1/audit', { schema: { tags: TAGS, summary: 'The audit log, newest first', querystring: auditQuery } }, async (request) => {
    const tenants = await tenantsOf(auth, principal(request));
    return { entries: await listAudit(auth.store, { ...request.query, tenants }) };
  });
  app.get<{ Querystring: { before?: number; limit?: number } }>('/api/v1/audit.csv', { schema: { tags: TAGS, summary: 'The audit log as CSV', querystring: auditQuery } }, async (request, reply) => {
    const tenants = await tenantsOf(auth, principal(request));
    const rows = await listAudit(auth.store, { limit: 10_000, ...request.query, tenants });
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit.csv"').send(auditCsv(rows));
  });
  app.get('/api/v1/audit/verify', { schema: { tags: TAGS, summary: 'Checks the hash chain of the whole audit log' } }, async () => verifyAuditChain(auth.store));
  app.get('/api/v1/notifications', { schema: { tags: TAGS, summary: 'In-app notifications (tamper locks…) of the caller’s tenant' } }, async (request) => {
    const tenants = await tenantsOf(auth, principal(request));
    return { notifications: (await listNotifications(auth.store)).filter((n) => !tenants || (n.tenant && tenants.has(n.tenant))) };
  });
}

function registerTerminalRoutes(app: FastifyInstance, auth: Auth): void {
  const params = { type: 'object', required: ['terminal'], properties: { terminal: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' } } } as const;
  app.post<{ Params: { terminal: string } }>('/api/v1/terminals/:terminal/secret', { bodyLimit: SMALL, schema: { tags: TAGS, summary: 'Issue (or rotate) the terminal’s own secret; shown once', params } }, async (request) => {
    const secret = await issueTerminalSecret(auth.store, actorOf(request), request.params.terminal);
    return { terminal: request.params.terminal, secret };
  });
  app.post<{ Params: { terminal: string }; Body: { reason: string } }>('/api/v1/terminals/:terminal/unlock', {
    bodyLimit: SMALL,
    schema: { tags: TAGS, summary: 'Unlock a terminal locked after a tamper alarm (admin; the reason is audited)', params, body: { type: 'object', required: ['reason'], properties: { reason: str(500) } } },
  }, async (request) => {
    const before = await auth.tamper.unlock(request.params.terminal, request.body.reason, actorOf(request));
    return { terminal: request.params.terminal, unlocked: true, was: before };
  });
}

/** Security headers on every answer (the web UI above all). */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    }
    return payload;
  });
}

/** The auth routes and the security headers, as one plugin that is not encapsulated (its hooks apply app-wide). */
export function authRoutes(auth: Auth) {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    securityHeaders(app);
    registerSessionRoutes(app, auth);
    registerTokenRoutes(app, auth);
    registerAdminRoutes(app, auth);
    registerTerminalRoutes(app, auth);
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true });
}
