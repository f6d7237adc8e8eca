// The server's Authenticator, built on the store: authenticate (sessions, API tokens, terminal
// secrets), admit (per-address rate limit, before authentication), authorize (route rules, tenant
// scope of `:terminal`, per-principal rate limit) and onRoute (collects the route table).
import type { FastifyRequest, RouteOptions } from 'fastify';
import { PosopsError } from '../domain/index.ts';
import type { Authenticator, Credentials, Principal } from '../server/index.ts';
import type { Store } from '../store/index.ts';
import type { Actor, AuthPrincipal } from './auth.types.ts';
import { authenticate, type AuthenticatorDeps } from './authenticator.ts';
import { newSecret } from './credentials.ts';
import { DEFAULT_LOCKOUT, type LockoutOptions, type LoginDeps } from './login.service.ts';
import { checkRule, checkTerminalParam, ruleFor, ruleKey } from './policy.ts';
import { RateLimiter, type BucketOptions } from './rate-limit.ts';
import { TamperResponse, type TamperDeps } from './tamper.service.ts';
import { Tenancy } from './tenancy.ts';

/** What a session on a one-time password may do: see who it is, set its own password, log out. */
const WHILE_ONE_TIME_PASSWORD = new Set([ruleKey('GET', '/api/v1/auth/me'), ruleKey('POST', '/api/v1/auth/password'), ruleKey('POST', '/api/v1/auth/logout')]);

export interface AuthOptions {
  store: Store;
  now?: () => number;
  sessionTtlMs?: number;
  lockout?: Partial<LockoutOptions>;
  /** Per client address, every /api/v1 request (login included). */
  perAddress?: BucketOptions;
  /** Per authenticated principal (person, token, terminal). */
  perPrincipal?: BucketOptions;
  log?: TamperDeps['log'] & { info?(obj: object, msg: string): void };
  publishCommand?: TamperDeps['publishCommand'];
}

export interface Auth extends Authenticator {
  readonly store: Store;
  readonly tenancy: Tenancy;
  readonly tamper: TamperResponse;
  readonly login: LoginDeps;
  /** Valid for this process only; for in-process helpers (the demo fleet). Never stored or printed. */
  readonly processToken: string;
  /** Every route Fastify registered, as "METHOD url". */
  routes(): string[];
  /** Routes under /api/v1 that have no entry in the rule table. */
  unlisted(): string[];
  setPublishCommand(fn: TamperDeps['publishCommand']): void;
}

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal as AuthPrincipal | undefined;
  const kind = p?.kind === 'user' || p?.kind === 'token' || p?.kind === 'terminal' ? p.kind : 'system';
  return { actor: p?.id ?? 'anonymous', kind, address: request.ip, ...(p?.tenant ? { tenant: p.tenant } : {}) };
}

export async function createAuth(opts: AuthOptions): Promise<Auth> {
  const now = opts.now ?? Date.now;
  const tenancy = new Tenancy(opts.store);
  const processToken = newSecret('pat');
  const deps: AuthenticatorDeps = { store: opts.store, tenancy, processToken, now };
  let publish = opts.publishCommand;
  const tamper = new TamperResponse({ store: opts.store, tenancy, now, log: opts.log, publishCommand: (t, c) => (publish ? publish(t, c) : Promise.resolve()) });
  await tamper.load();
  const perAddress = new RateLimiter(opts.perAddress ?? { ratePerSecond: 200, burst: 2000 }, now);
  const perPrincipal = new RateLimiter(opts.perPrincipal ?? { ratePerSecond: 100, burst: 1000 }, now);
  const routes = new Set<string>();
  const warned = new Set<string>();

  return {
    store: opts.store,
    tenancy,
    tamper,
    processToken,
    login: { store: opts.store, now, sessionTtlMs: opts.sessionTtlMs ?? 12 * 3600_000, lockout: { ...DEFAULT_LOCKOUT, ...opts.lockout } },
    authenticate: (cred: Credentials): Promise<Principal | undefined> => authenticate(deps, cred),
    admit(request: FastifyRequest) {
      perAddress.check(`ip:${request.ip}`, `address ${request.ip}`);
    },
    authorize(request: FastifyRequest, principal: Principal) {
      const p = principal as AuthPrincipal;
      const url = request.routeOptions.url ?? '';
      const { rule, listed } = ruleFor(request.method, url);
      if (!listed && !warned.has(ruleKey(request.method, url))) {
        warned.add(ruleKey(request.method, url));
        request.log.warn({ route: ruleKey(request.method, url) }, 'route has no access rule in src/auth/policy.ts; using the default (staff read, admin/ops write)');
      }
      if (p.mustChangePassword && !WHILE_ONE_TIME_PASSWORD.has(ruleKey(request.method, url))) {
        throw new PosopsError('AUTH_PASSWORD_CHANGE_REQUIRED', 'this account still has its one-time password: set your own with POST /api/v1/auth/password, then log in again');
      }
      checkRule(rule, p);
      checkTerminalParam(request.params, p);
      if (p.id !== 'server') perPrincipal.check(`${p.kind}:${p.id}`, `this ${p.kind}`);
    },
    onRoute(route: RouteOptions) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const m of methods) if (m !== 'HEAD') routes.add(ruleKey(m, route.url));
    },
    routes: () => [...routes].sort(),
    unlisted: () => [...routes].filter((r) => r.split(' ')[1]!.startsWith('/api/v1') && !ruleFor(r.split(' ')[0]!, r.split(' ')[1]!).listed),
    setPublishCommand(fn) {
      publish = fn;
    },
  };
}
