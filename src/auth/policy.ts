// Who may call which /api/v1 route: one table, keyed by "METHOD url" as Fastify registers it.
// A route missing here falls back to a conservative default (people of the staff roles may read,
// admin/ops may write; no tokens, no terminals), is logged once, and fails the access-matrix test.
// On top of the role check, a `:terminal` parameter outside the caller's part of the fleet answers
// 404 (as if the terminal did not exist), so that other tenants' terminal IDs cannot be probed.
import { PosopsError } from '../domain/index.ts';
import type { AuthPrincipal, Role, TokenScope } from './auth.types.ts';

export interface RouteRule {
  /** No authentication at all. */
  open?: boolean;
  people?: readonly Role[];
  scopes?: readonly TokenScope[];
  /** Terminals with their own credentials (own data only). */
  terminal?: boolean;
}

const EVERYONE: readonly Role[] = ['admin', 'ops', 'technician', 'merchant', 'auditor'];
const STAFF: readonly Role[] = ['admin', 'ops', 'technician', 'auditor'];
const MANAGERS: readonly Role[] = ['admin', 'ops'];
const READ = { people: EVERYONE, scopes: ['diagnoses:read'] } as const;

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  // auth (src/auth)
  'POST /api/v1/auth/login': { open: true },
  'POST /api/v1/auth/logout': { people: EVERYONE },
  'GET /api/v1/auth/me': { people: EVERYONE },
  'POST /api/v1/auth/password': { people: EVERYONE },
  'GET /api/v1/tokens': { people: MANAGERS },
  'POST /api/v1/tokens': { people: MANAGERS },
  'DELETE /api/v1/tokens/:id': { people: MANAGERS },
  'GET /api/v1/users': { people: ['admin', 'auditor'] },
  'POST /api/v1/users': { people: ['admin'] },
  'GET /api/v1/audit': { people: ['admin', 'auditor'] },
  'GET /api/v1/audit.csv': { people: ['admin', 'auditor'] },
  'GET /api/v1/audit/verify': { people: ['admin', 'auditor'] },
  'GET /api/v1/notifications': { people: STAFF },
  'POST /api/v1/terminals/:terminal/secret': { people: MANAGERS, scopes: ['fleet:manage'] },
  'POST /api/v1/terminals/:terminal/unlock': { people: ['admin'] },
  // server (src/server)
  'POST /api/v1/events': { people: MANAGERS, scopes: ['events:write'], terminal: true },
  'GET /api/v1/terminals/:terminal': READ,
  'GET /api/v1/diagnosis': READ,
  'GET /api/v1/incidents': READ,
  'GET /api/v1/terminals/:terminal/history': READ,
  // dashboard (src/dashboard): people only
  'GET /api/v1/causes': { people: EVERYONE },
  'GET /api/v1/dashboard/me': { people: EVERYONE },
  'GET /api/v1/dashboard/overview': { people: STAFF },
  'GET /api/v1/dashboard/facets': { people: EVERYONE },
  'GET /api/v1/dashboard/incidents': { people: STAFF },
  'GET /api/v1/dashboard/incidents/:id': { people: STAFF },
  'GET /api/v1/terminals': { people: EVERYONE },
  'GET /api/v1/terminals.csv': { people: EVERYONE },
  'GET /api/v1/terminals/:terminal/profile': { people: EVERYONE },
  'GET /api/v1/terminals/:terminal/series': { people: EVERYONE },
  'GET /api/v1/stream': { people: EVERYONE },
};

export function ruleKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`;
}

/** The rule for a route; the default for routes nobody listed. */
export function ruleFor(method: string, url: string): { rule: RouteRule; listed: boolean } {
  const rule = ROUTE_RULES[ruleKey(method, url)];
  if (rule) return { rule, listed: true };
  return { rule: { people: method.toUpperCase() === 'GET' ? STAFF : MANAGERS }, listed: false };
}

/** Throws AUTH_FORBIDDEN unless `principal` may call a route with `rule`. */
export function checkRule(rule: RouteRule, principal: AuthPrincipal): void {
  if (rule.open) return;
  if (principal.kind === 'terminal') {
    if (rule.terminal) return;
    throw new PosopsError('AUTH_FORBIDDEN', 'terminal credentials may only send the terminal’s own events');
  }
  if (principal.kind === 'token' && principal.scopes) {
    if (rule.scopes?.some((s) => principal.scopes!.includes(s))) return;
    throw new PosopsError('AUTH_FORBIDDEN', `this API token lacks the scope for this route${rule.scopes ? ` (${rule.scopes.join(' or ')})` : ' (people only)'}`);
  }
  if (principal.role && rule.people?.includes(principal.role)) return;
  throw new PosopsError('AUTH_FORBIDDEN', `the role ${principal.role ?? 'none'} may not use this route`);
}

/** 404 for a `:terminal` outside the caller's part of the fleet. */
export function checkTerminalParam(params: unknown, principal: AuthPrincipal): void {
  const terminal = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['terminal'] : undefined;
  if (typeof terminal !== 'string') return;
  if (principal.kind === 'terminal' ? principal.terminal !== terminal : principal.sees && !principal.sees(terminal)) {
    throw new PosopsError('FLEET_TERMINAL_NOT_FOUND', `no terminal ${terminal}`);
  }
}
