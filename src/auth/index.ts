// Who may see and do what: users, roles, tenants, terminal credentials, API tokens, the audit log
// and the tamper response. Other folders import only from here.
export { createAuth, actorOf, type Auth, type AuthOptions } from './auth.service.ts';
export { authRoutes, securityHeaders } from './auth.routes.ts';
export { ROLES, TOKEN_SCOPES, isRole, type Role, type TokenScope, type AuthPrincipal, type User, type Actor } from './auth.types.ts';
export { ROUTE_RULES, ruleFor, type RouteRule } from './policy.ts';
export { appendAudit, listAudit, verifyAuditChain, canonicalJson, type AuditEntry, type AuditVerdict } from './audit.ts';
export { addUser, disableUser, resetPassword, ensureFirstAdmin, issueTerminalSecret, createApiToken, deleteApiToken } from './people.service.ts';
export { listUsers } from './users.repository.ts';
export { upsertTenant, listTenants, setTerminalTenants, setMerchantTenants, listTerminalTenancy, listTerminalLocks, listNotifications, type Tenant } from './fleet.repository.ts';
export { Tenancy, buildTenancy, seesFor, type TenancySnapshot } from './tenancy.ts';
export { TamperResponse } from './tamper.service.ts';
export { hashPassword, verifyPassword, sha256 } from './credentials.ts';
export { login } from './login.service.ts';
export { readTenantColumns, assignTenants, type TenantColumns } from './tenancy.import.ts';
export { mosquittoHash, mosquittoPasswordFile, mosquittoAclFile } from './mosquitto.ts';
