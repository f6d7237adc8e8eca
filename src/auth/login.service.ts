// People log in with a username and password and get an opaque session token (stored hashed, with
// an expiry). Failed attempts slow down (a growing delay) and, after `maxFailures`, lock the
// account for `lockMs` (AUTH_ACCOUNT_LOCKED, 429). Unknown usernames are slowed down alike.
import { setTimeout as delay } from 'node:timers/promises';
import { PosopsError } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import { appendAudit } from './audit.ts';
import { hashPassword, newSecret, sha256, verifyPassword } from './credentials.ts';
import { findUserRow, insertSession, revokeSession, updateUser } from './users.repository.ts';

export interface LockoutOptions {
  maxFailures: number;
  lockMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_LOCKOUT: LockoutOptions = { maxFailures: 5, lockMs: 15 * 60_000, baseDelayMs: 250, maxDelayMs: 4000 };

export interface LoginDeps {
  store: Store;
  now: () => number;
  sessionTtlMs: number;
  lockout: LockoutOptions;
}

const MAX_FIELD = 1024;
let dummyHash: Promise<string> | undefined;
const unknownFailures = new Map<string, number>();

function refuse(): never {
  throw new PosopsError('AUTH_INVALID_CREDENTIALS', 'wrong username or password');
}

async function slowDown(deps: LoginDeps, failures: number): Promise<void> {
  await delay(Math.min(deps.lockout.maxDelayMs, deps.lockout.baseDelayMs * 2 ** Math.max(0, failures - 1)));
}

export function lockedError(until: number, now: number): PosopsError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new PosopsError('AUTH_ACCOUNT_LOCKED', `too many failed logins; the account is locked for ${seconds} s`, { retryAfter: seconds });
}

export async function login(deps: LoginDeps, username: unknown, password: unknown, address?: string): Promise<{ token: string; expires_at: string; must_change_password: boolean }> {
  if (typeof username !== 'string' || typeof password !== 'string' || username.length > MAX_FIELD || password.length > MAX_FIELD) refuse();
  const now = deps.now();
  const user = await findUserRow(deps.store, username);
  if (!user) {
    // same cost as a wrong password, and the same growing delay
    await verifyPassword(password, await (dummyHash ??= hashPassword('not a password')));
    const n = (unknownFailures.get(username) ?? 0) + 1;
    if (unknownFailures.size > 10_000) unknownFailures.clear();
    unknownFailures.set(username, n);
    await slowDown(deps, n);
    refuse();
  }
  if (user.locked_until && user.locked_until.getTime() > now) throw lockedError(user.locked_until.getTime(), now);
  if (!(await verifyPassword(password, user.password_hash)) || user.disabled) {
    const failures = user.failed_logins + 1;
    if (failures >= deps.lockout.maxFailures) {
      const until = now + deps.lockout.lockMs;
      await updateUser(deps.store, username, { failed_logins: 0, locked_until: new Date(until) });
      await appendAudit(deps.store, { actor: username, kind: 'user', address }, { action: 'user.locked', target: username, after: { locked_until: new Date(until).toISOString(), failures } });
      throw lockedError(until, now);
    }
    await updateUser(deps.store, username, { failed_logins: failures });
    await slowDown(deps, failures);
    refuse();
  }
  if (user.failed_logins > 0 || user.locked_until) await updateUser(deps.store, username, { failed_logins: 0, locked_until: null });
  const token = newSecret('pss');
  const expires = new Date(now + deps.sessionTtlMs);
  await insertSession(deps.store, sha256(token), username, expires);
  // a one-time password (the first admin's, a reset): the session may only set the user's own password
  return { token, expires_at: expires.toISOString(), must_change_password: user.must_change_password };
}

export async function logout(store: Store, sessionHash: string): Promise<void> {
  await revokeSession(store, sessionHash);
}
