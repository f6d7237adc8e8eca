// Changes to people, API tokens and terminal credentials. Every change goes into the audit log.
import { randomBytes } from 'node:crypto';
import { PosopsError } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import { appendAudit } from './audit.ts';
import { isRole, TOKEN_SCOPES, type Actor, type Role, type TokenScope, type User } from './auth.types.ts';
import { hashPassword, newSecret, sha256 } from './credentials.ts';
import { saveTerminalCredential } from './fleet.repository.ts';
import { countUsers, findApiToken, findUserRow, insertApiToken, insertUser, revokeApiToken, revokeUserSessions, updateUser, type ApiToken } from './users.repository.ts';

const USERNAME_RE = /^[A-Za-z0-9._@-]{1,64}$/;
export const MIN_PASSWORD = 10;

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new PosopsError('REQUEST_INVALID', `a password needs at least ${MIN_PASSWORD} characters`);
  if (password.length > 1024) throw new PosopsError('REQUEST_INVALID', 'a password may have at most 1024 characters');
}

export interface NewUser {
  username: string;
  role: string;
  tenant?: string;
  merchant?: string;
  password: string;
  mustChangePassword?: boolean;
}

export async function addUser(store: Store, who: Actor, u: NewUser): Promise<User> {
  if (!USERNAME_RE.test(u.username)) throw new PosopsError('REQUEST_INVALID', 'a username is 1-64 letters, digits, . _ @ -');
  if (!isRole(u.role)) throw new PosopsError('REQUEST_INVALID', `unknown role ${u.role} (admin, ops, technician, merchant, auditor)`);
  if (u.role === 'merchant' && !u.merchant) throw new PosopsError('REQUEST_INVALID', 'a merchant user needs --merchant');
  checkPassword(u.password);
  if (await findUserRow(store, u.username)) throw new PosopsError('AUTH_USER_EXISTS', `user ${u.username} exists already`);
  const role: Role = u.role;
  await insertUser(store, { username: u.username, role, tenant: u.tenant, merchant: u.merchant, password_hash: await hashPassword(u.password), must_change_password: u.mustChangePassword });
  const after = { username: u.username, role, tenant: u.tenant, merchant: u.merchant };
  await appendAudit(store, who, { action: 'user.add', target: u.username, after });
  return { ...after, disabled: false, created_at: new Date().toISOString() } as User;
}

async function existing(store: Store, username: string) {
  const user = await findUserRow(store, username);
  if (!user) throw new PosopsError('AUTH_USER_NOT_FOUND', `no user ${username}`);
  return user;
}

export async function disableUser(store: Store, who: Actor, username: string): Promise<void> {
  const user = await existing(store, username);
  await updateUser(store, username, { disabled: true });
  await revokeUserSessions(store, username);
  await appendAudit(store, who, { action: 'user.disable', target: username, before: { disabled: user.disabled }, after: { disabled: true } });
}

export async function resetPassword(store: Store, who: Actor, username: string, password: string, mustChange = false): Promise<void> {
  await existing(store, username);
  checkPassword(password);
  await updateUser(store, username, { password_hash: await hashPassword(password), must_change_password: mustChange, failed_logins: 0, locked_until: null });
  await revokeUserSessions(store, username);
  await appendAudit(store, who, { action: 'user.reset_password', target: username }); // no password, not even hashed
}

/** Creates the first admin when there is no user at all; returns its one-time password. */
export async function ensureFirstAdmin(store: Store): Promise<{ username: string; password: string } | undefined> {
  if ((await countUsers(store)) > 0) return undefined;
  const password = randomBytes(15).toString('base64url');
  await addUser(store, { actor: 'posops', kind: 'system' }, { username: 'admin', role: 'admin', password, mustChangePassword: true });
  return { username: 'admin', password };
}

/** A new secret for a terminal (replacing any older one): shown once, stored as SHA-256. */
export async function issueTerminalSecret(store: Store, who: Actor, terminal: string): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(terminal)) throw new PosopsError('REQUEST_INVALID', `not a terminal ID: ${terminal}`);
  const secret = newSecret('pts');
  await saveTerminalCredential(store, terminal, sha256(secret));
  await appendAudit(store, who, { action: 'terminal.secret', target: terminal, after: { rotated: true } });
  return secret;
}

export async function createApiToken(store: Store, who: Actor, t: { name: string; scopes: readonly string[]; tenant?: string }): Promise<{ token: string; info: ApiToken }> {
  const bad = t.scopes.filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (bad.length || t.scopes.length === 0) throw new PosopsError('REQUEST_INVALID', `scopes must be among ${TOKEN_SCOPES.join(', ')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`);
  const id = `tok_${randomBytes(6).toString('hex')}`;
  const token = newSecret('pat');
  const scopes = [...new Set(t.scopes)] as TokenScope[];
  await insertApiToken(store, { id, name: t.name, token_hash: sha256(token), scopes, tenant: t.tenant, created_by: who.actor });
  await appendAudit(store, who, { action: 'token.create', target: id, after: { name: t.name, scopes, tenant: t.tenant } });
  return { token, info: (await findApiToken(store, id))! };
}

export async function deleteApiToken(store: Store, who: Actor, id: string): Promise<void> {
  const before = await findApiToken(store, id);
  if (!before || !(await revokeApiToken(store, id))) throw new PosopsError('REQUEST_NOT_FOUND', `no active token ${id}`);
  await appendAudit(store, who, { action: 'token.revoke', target: id, before: { name: before.name, scopes: before.scopes, tenant: before.tenant } });
}
