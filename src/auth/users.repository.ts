// Users, login sessions and API tokens: SQL only, one query per function.
import { sql } from 'kysely';
import type { Store } from '../store/index.ts';
import { authDb } from './auth.tables.ts';
import type { Role, TokenScope, User } from './auth.types.ts';

export interface UserRow extends User {
  password_hash: string;
  failed_logins: number;
  locked_until?: Date;
  must_change_password: boolean;
}

type Raw = { username: string; role: string; tenant: string | null; merchant: string | null; disabled: boolean; created_at: Date };

function userOf(r: Raw): User {
  return {
    username: r.username,
    role: r.role as Role,
    ...(r.tenant ? { tenant: r.tenant } : {}),
    ...(r.merchant ? { merchant: r.merchant } : {}),
    disabled: r.disabled,
    created_at: new Date(r.created_at).toISOString(),
  };
}

export async function insertUser(store: Store, user: { username: string; role: Role; tenant?: string; merchant?: string; password_hash: string; must_change_password?: boolean }): Promise<void> {
  await authDb(store)
    .insertInto('users')
    .values({ username: user.username, role: user.role, tenant: user.tenant ?? null, merchant: user.merchant ?? null, password_hash: user.password_hash, must_change_password: user.must_change_password ?? false })
    .execute();
}

export async function findUserRow(store: Store, username: string): Promise<UserRow | undefined> {
  const r = await authDb(store).selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!r) return undefined;
  return { ...userOf(r), password_hash: r.password_hash, failed_logins: r.failed_logins, must_change_password: r.must_change_password, ...(r.locked_until ? { locked_until: new Date(r.locked_until) } : {}) };
}

export async function listUsers(store: Store): Promise<User[]> {
  const rows = await authDb(store).selectFrom('users').select(['username', 'role', 'tenant', 'merchant', 'disabled', 'created_at']).orderBy('username').execute();
  return rows.map(userOf);
}

export async function countUsers(store: Store): Promise<number> {
  const r = await authDb(store).selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function updateUser(store: Store, username: string, set: { disabled?: boolean; password_hash?: string; must_change_password?: boolean; failed_logins?: number; locked_until?: Date | null }): Promise<boolean> {
  const r = await authDb(store).updateTable('users').set({ ...set, updated_at: sql<Date>`now()` }).where('username', '=', username).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertSession(store: Store, tokenHash: string, username: string, expiresAt: Date): Promise<void> {
  await authDb(store).insertInto('sessions').values({ token_hash: tokenHash, username, expires_at: expiresAt }).execute();
}

/** The user behind a live (not revoked, not expired) session. */
export async function findSessionUser(store: Store, tokenHash: string, now: Date): Promise<UserRow | undefined> {
  const r = await authDb(store)
    .selectFrom('sessions')
    .select('username')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return r ? findUserRow(store, r.username) : undefined;
}

export async function revokeSession(store: Store, tokenHash: string): Promise<void> {
  await authDb(store).updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
}

export async function revokeUserSessions(store: Store, username: string): Promise<void> {
  await authDb(store).updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('username', '=', username).where('revoked_at', 'is', null).execute();
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: TokenScope[];
  tenant?: string;
  created_by: string;
  created_at: string;
  revoked: boolean;
}

type TokenRaw = { id: string; name: string; scopes: string[]; tenant: string | null; created_by: string; created_at: Date; revoked_at: Date | null };

function tokenOf(r: TokenRaw): ApiToken {
  return { id: r.id, name: r.name, scopes: r.scopes as TokenScope[], ...(r.tenant ? { tenant: r.tenant } : {}), created_by: r.created_by, created_at: new Date(r.created_at).toISOString(), revoked: r.revoked_at !== null };
}

export async function insertApiToken(store: Store, t: { id: string; name: string; token_hash: string; scopes: readonly TokenScope[]; tenant?: string; created_by: string }): Promise<void> {
  await authDb(store)
    .insertInto('api_tokens')
    .values({ id: t.id, name: t.name, token_hash: t.token_hash, scopes: JSON.stringify(t.scopes), tenant: t.tenant ?? null, created_by: t.created_by })
    .execute();
}

export async function findApiTokenByHash(store: Store, tokenHash: string): Promise<ApiToken | undefined> {
  const r = await authDb(store).selectFrom('api_tokens').select(['id', 'name', 'scopes', 'tenant', 'created_by', 'created_at', 'revoked_at']).where('token_hash', '=', tokenHash).executeTakeFirst();
  return r ? tokenOf(r) : undefined;
}

export async function findApiToken(store: Store, id: string): Promise<ApiToken | undefined> {
  const r = await authDb(store).selectFrom('api_tokens').select(['id', 'name', 'scopes', 'tenant', 'created_by', 'created_at', 'revoked_at']).where('id', '=', id).executeTakeFirst();
  return r ? tokenOf(r) : undefined;
}

export async function listApiTokens(store: Store): Promise<ApiToken[]> {
  const rows = await authDb(store).selectFrom('api_tokens').select(['id', 'name', 'scopes', 'tenant', 'created_by', 'created_at', 'revoked_at']).orderBy('created_at').execute();
  return rows.map(tokenOf);
}

export async function revokeApiToken(store: Store, id: string): Promise<boolean> {
  const r = await authDb(store).updateTable('api_tokens').set({ revoked_at: sql<Date>`now()` }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
