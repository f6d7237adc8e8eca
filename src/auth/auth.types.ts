// Roles, scopes and the principal the auth part hands to the server (a richer Principal).
import type { Principal } from '../server/index.ts';

export const ROLES = ['admin', 'ops', 'technician', 'merchant', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const TOKEN_SCOPES = ['diagnoses:read', 'events:write', 'fleet:manage'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A person, an integrator's API token, or a terminal; `sees` is absent when the whole fleet is visible. */
export interface AuthPrincipal extends Principal {
  role?: Role;
  merchant?: string;
  scopes?: readonly TokenScope[];
  /** Session token hash (people), so that logout can revoke it. */
  session?: string;
  /** A person still on a one-time password: only setting their own password is allowed. */
  mustChangePassword?: boolean;
  sees?: (terminal: string) => boolean;
}

export interface User {
  username: string;
  role: Role;
  tenant?: string;
  merchant?: string;
  disabled: boolean;
  created_at: string;
}

/** Who made a change, for the audit log. */
export interface Actor {
  actor: string;
  kind: 'user' | 'token' | 'terminal' | 'system' | 'cli';
  tenant?: string;
  address?: string;
}
