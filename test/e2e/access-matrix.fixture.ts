// A real server (startServer: the same routes, hooks and auth as `posops serve`) with two agents
// under one acquirer, a terminal and a merchant in each, one user per role bound to agent A, an
// API token and a terminal credential. Used by the access-matrix test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config.ts';
import { addUser, createApiToken, issueTerminalSecret, ROLES, setMerchantTenants, setTerminalTenants, upsertTenant, type Role } from '../../src/auth/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { openStore, upsertRegistry } from '../../src/store/index.ts';

export const OWN = 'T-A1';
export const OTHER = 'T-B1';
export const PASSWORD = 'correct horse battery';

export type Who = Role | 'anonymous' | 'token' | 'terminal' | 'admin-root';

export interface MatrixServer {
  server: RunningServer;
  url: string;
  auth: Record<Who, string | undefined>;
  close(): Promise<void>;
}

async function seed(dataDir: string): Promise<{ token: string; secret: string }> {
  const store = await openStore({ dataDir });
  try {
    await upsertRegistry(store, {
      terminals: [{ terminal: OWN, merchant: 'MA', model: 'A920' }, { terminal: OTHER, merchant: 'MB', model: 'A920' }],
      merchants: [{ merchant: 'MA', name: 'Shop A' }, { merchant: 'MB', name: 'Shop B' }],
      models: [],
      maintenance: [],
    });
    await upsertTenant(store, { tenant: 'acq' });
    await upsertTenant(store, { tenant: 'agent-a', parent: 'acq' });
    await upsertTenant(store, { tenant: 'agent-b', parent: 'acq' });
    await setMerchantTenants(store, [{ merchant: 'MA', tenant: 'agent-a' }]);
    await setTerminalTenants(store, [{ terminal: OTHER, tenant: 'agent-b' }]); // T-A1 gets its tenant through its merchant
    const cli = { actor: 'test', kind: 'cli' as const };
    await addUser(store, cli, { username: 'root', role: 'admin', password: PASSWORD });
    for (const role of ROLES) await addUser(store, cli, { username: `${role}-a`, role, tenant: 'agent-a', merchant: role === 'merchant' ? 'MA' : undefined, password: PASSWORD });
    const { token } = await createApiToken(store, cli, { name: 'reader', scopes: ['diagnoses:read'], tenant: 'agent-a' });
    const secret = await issueTerminalSecret(store, cli, OWN);
    return { token, secret };
  } finally {
    await store.close();
  }
}

async function loginAs(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return `Bearer ${((await res.json()) as { token: string }).token}`;
}

export async function startMatrixServer(): Promise<MatrixServer> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-access-'));
  const data = join(dir, 'data');
  const { token, secret } = await seed(join(data, ''));
  const server = await startServer(readConfig({ port: 0, mqttPort: 0, data, logLevel: 'silent' }, {}));
  const auth = { anonymous: undefined, token: `Bearer ${token}`, terminal: `Basic ${Buffer.from(`${OWN}:${secret}`).toString('base64')}` } as Record<Who, string | undefined>;
  auth['admin-root'] = await loginAs(server.url, 'root');
  for (const role of ROLES) auth[role] = await loginAs(server.url, `${role}-a`);
  return {
    server,
    url: server.url,
    auth,
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
