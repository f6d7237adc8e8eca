// Turns credentials into a principal: a session token (people), an API token (integrators), the
// server's in-memory process token, or a terminal ID and secret (HTTP Basic or MQTT CONNECT).
import { timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../server/index.ts';
import type { Store } from '../store/index.ts';
import type { AuthPrincipal } from './auth.types.ts';
import { sameSecret, sha256 } from './credentials.ts';
import { findTerminalCredential } from './fleet.repository.ts';
import { seesFor, type Tenancy } from './tenancy.ts';
import { findApiTokenByHash, findSessionUser } from './users.repository.ts';

const TERMINAL_RE = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_SECRET = 512;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface AuthenticatorDeps {
  store: Store;
  tenancy: Tenancy;
  /** A token valid for this process only (in-process helpers such as the demo fleet), never stored. */
  processToken: string;
  now: () => number;
}

export async function authenticateTerminal(deps: AuthenticatorDeps, terminal: string, secret: string): Promise<AuthPrincipal | undefined> {
  if (!TERMINAL_RE.test(terminal) || secret.length === 0 || secret.length > MAX_SECRET) return undefined;
  const stored = await findTerminalCredential(deps.store, terminal);
  if (!stored || !sameSecret(secret, stored)) return undefined;
  return { kind: 'terminal', id: terminal, terminal, sees: (t) => t === terminal };
}

async function authenticateBearer(deps: AuthenticatorDeps, token: string): Promise<AuthPrincipal | undefined> {
  if (token.length > MAX_SECRET) return undefined;
  if (same(token, deps.processToken)) return { kind: 'token', id: 'server', role: 'admin' };
  const hash = sha256(token);
  if (token.startsWith('pat_')) {
    const t = await findApiTokenByHash(deps.store, hash);
    if (!t || t.revoked) return undefined;
    const sees = t.tenant ? seesFor(await deps.tenancy.current(), { tenant: t.tenant }) : undefined;
    return { kind: 'token', id: t.id, scopes: t.scopes, ...(t.tenant ? { tenant: t.tenant } : {}), ...(sees ? { sees } : {}) };
  }
  const user = await findSessionUser(deps.store, hash, new Date(deps.now()));
  if (!user || user.disabled) return undefined;
  const sees = user.tenant || user.role === 'merchant' ? seesFor(await deps.tenancy.current(), user) : undefined;
  return {
    kind: 'user', id: user.username, role: user.role, session: hash,
    ...(user.must_change_password ? { mustChangePassword: true } : {}),
    ...(user.tenant ? { tenant: user.tenant } : {}), ...(user.merchant ? { merchant: user.merchant } : {}), ...(sees ? { sees } : {}),
  };
}

function basicOf(header: string): { user: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]{1,1024})$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The Authenticator's authenticate(): undefined for anything not valid. */
export async function authenticate(deps: AuthenticatorDeps, cred: Credentials): Promise<AuthPrincipal | undefined> {
  const header = cred.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return authenticateBearer(deps, bearer[1]!);
  const basic = basicOf(header);
  if (basic) return authenticateTerminal(deps, basic.user, basic.secret);
  if (header) return undefined;
  // MQTT CONNECT: terminals only (username = terminal ID, password = its secret)
  if (cred.username !== undefined && cred.password !== undefined) return authenticateTerminal(deps, cred.username, cred.password);
  return undefined;
}
