// Who is asking, and what of the fleet they may see.

import type { FastifyRequest } from 'fastify';
import { PosopsError } from '../domain/index.ts';
import type { DashboardCaller, DashboardDeps, TerminalEntry } from './dashboard.types.ts';

interface PrincipalLike {
  kind?: string;
  id?: string;
  role?: string;
  tenant?: string;
  merchant?: string;
  sees?: (terminal: string) => boolean;
}

/** The caller's part of the fleet (set by src/auth on the principal); absent: everything. */
export function seesOf(caller: DashboardCaller): ((terminal: string) => boolean) | undefined {
  return (caller as DashboardCaller & { sees?: (terminal: string) => boolean }).sees;
}

/** Default mapping of `request.principal` (src/server/auth-hook.ts): a merchant's tenant is its merchant ID. */
export function callerFromPrincipal(request: FastifyRequest): DashboardCaller | undefined {
  const p = (request as FastifyRequest & { principal?: PrincipalLike }).principal;
  if (!p) return undefined;
  if (p.kind === 'terminal') return { role: 'terminal', id: p.id };
  const role = p.role ?? 'admin';
  const merchant = role === 'merchant' ? (p.merchant ?? p.tenant) : undefined;
  return { role, id: p.id, merchant, tenant: p.tenant, ...(p.sees ? { sees: p.sees } : {}) };
}

/** The caller of a dashboard route; people only (terminals and anonymous requests are refused). */
export function requireCaller(deps: DashboardDeps, request: FastifyRequest): DashboardCaller {
  const caller = (deps.caller ?? callerFromPrincipal)(request);
  if (!caller) throw new PosopsError('AUTH_REQUIRED', 'this route needs Authorization: Bearer <token>');
  if (caller.role === 'terminal') throw new PosopsError('AUTH_FORBIDDEN', 'terminals cannot read the dashboard');
  if (caller.role === 'merchant' && !caller.merchant) throw new PosopsError('AUTH_FORBIDDEN', 'this merchant login is not bound to a merchant');
  return caller;
}

/** Fleet-wide views (overview, incidents) are for operations staff, not merchants. */
export function requireStaff(deps: DashboardDeps, request: FastifyRequest): DashboardCaller {
  const caller = requireCaller(deps, request);
  if (caller.role === 'merchant') throw new PosopsError('AUTH_FORBIDDEN', 'a merchant login sees only its own terminals');
  return caller;
}

export function canSee(caller: DashboardCaller, e: TerminalEntry | undefined): e is TerminalEntry {
  const sees = seesOf(caller);
  return !!e && (caller.merchant === undefined || e.merchant === caller.merchant) && (!sees || sees(e.terminal));
}
