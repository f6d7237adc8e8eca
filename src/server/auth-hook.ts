// The one place where authentication plugs into the server (HTTP and MQTT alike).
// An Authenticator turns a request's credentials into a Principal; the preHandler below guards every
// /api/v1 route except login. The authenticators here are deliberately small and temporary: a static
// admin bearer token and per-terminal secrets derived from one server key. Real users, tokens and
// terminal secrets (src/auth) replace them behind the same interface.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { PosopsError } from '../domain/index.ts';

export interface Principal {
  kind: 'user' | 'terminal' | 'token';
  id: string;
  role?: string;
  tenant?: string;
  terminal?: string;
  /** A merchant login's merchant. */
  merchant?: string;
  /** API token scopes (integrators). */
  scopes?: readonly string[];
  /** Whether the principal may see this terminal; absent: the whole fleet (src/auth sets it). */
  sees?: (terminal: string) => boolean;
}

/** What an authenticator sees: HTTP headers, or the username/password of an MQTT CONNECT. */
export interface Credentials {
  authorization?: string;
  username?: string;
  password?: string;
}

export interface Authenticator {
  authenticate(request: Credentials): Promise<Principal | undefined>;
  /** Called for every /api/v1 request before authentication, login included (per-address rate limit). */
  admit?(request: FastifyRequest): void | Promise<void>;
  /** Called once the principal is known: throws AUTH_FORBIDDEN / FLEET_TERMINAL_NOT_FOUND / RATE_LIMITED. */
  authorize?(request: FastifyRequest, principal: Principal): void | Promise<void>;
  /** Sees every route as it is registered (route rules, the access-matrix test). */
  onRoute?(route: RouteOptions): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Accepts everything as an admin. Only for `auth: 'off'`, which must be set explicitly (tests). */
export function createOpenAuthenticator(): Authenticator {
  return { authenticate: async () => ({ kind: 'token', id: 'anonymous', role: 'admin' }) };
}

export interface TokenAuthOptions {
  /** The static admin bearer token. */
  adminToken: string;
  /** Server key from which terminal secrets are derived: secret = HMAC-SHA256(key, terminal ID). */
  terminalKey: string;
}

/** Generates a fresh random credential (admin token or terminal key). */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The secret a terminal authenticates with under `terminalKey` (until src/auth issues real ones). */
export function terminalSecret(terminalKey: string, terminal: string): string {
  return createHmac('sha256', terminalKey).update(terminal).digest('base64url').slice(0, 32);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Bearer admin token for people and integrators; Basic (or MQTT username/password) for terminals. */
export function createTokenAuthenticator(opts: TokenAuthOptions): Authenticator {
  const terminal = (id: string, secret: string): Principal | undefined =>
    id.length > 0 && same(secret, terminalSecret(opts.terminalKey, id)) ? { kind: 'terminal', id, terminal: id } : undefined;
  return {
    async authenticate(cred) {
      const header = cred.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(header);
      if (bearer) return same(bearer[1]!, opts.adminToken) ? { kind: 'token', id: 'admin', role: 'admin' } : undefined;
      const basic = /^Basic\s+(\S+)$/i.exec(header);
      if (basic) {
        const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon < 0) return undefined;
        return terminal(decoded.slice(0, colon), decoded.slice(colon + 1));
      }
      if (cred.username !== undefined && cred.password !== undefined) {
        // MQTT: an integrator may connect with any username and the admin token as password
        if (same(cred.password, opts.adminToken)) return { kind: 'token', id: 'admin', role: 'admin' };
        return terminal(cred.username, cred.password);
      }
      return undefined;
    },
  };
}

const OPEN_ROUTES = new Set(['/api/v1/auth/login']);

/** Fastify preHandler: sets request.principal, or answers AUTH_REQUIRED / AUTH_INVALID_CREDENTIALS. */
export function authPreHandler(authenticator: Authenticator) {
  return async function authenticateRequest(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const url = request.routeOptions.url ?? '';
    if (!url.startsWith('/api/v1')) return;
    await authenticator.admit?.(request);
    if (OPEN_ROUTES.has(url)) return;
    const authorization = request.headers.authorization;
    const principal = await authenticator.authenticate({ authorization });
    if (principal) {
      request.principal = principal;
      await authenticator.authorize?.(request, principal);
      return;
    }
    if (!authorization) throw new PosopsError('AUTH_REQUIRED', 'this route needs Authorization: Bearer <token> or terminal credentials (Basic)');
    throw new PosopsError('AUTH_INVALID_CREDENTIALS', 'the credentials given are not valid');
  };
}
