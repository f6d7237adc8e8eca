// A real posops server with a small simulated fleet whose day ends now: the registry is loaded into the
// store before the server starts, the events are posted over HTTP like any integrator would.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config.ts';
import { generateFleet, writeSimFiles } from '../../src/sim/index.ts';
import { openStore, upsertRegistry } from '../../src/store/index.ts';
import { startServer, type RunningServer } from '../../src/server/index.ts';
import { addUser, setTerminalTenants, upsertTenant } from '../../src/auth/index.ts';
import { firstAdminSession } from '../support/posops.ts';

const ACTOR = { actor: 'dashboard-e2e', kind: 'cli' } as const;

export interface DashboardServer {
  server: RunningServer;
  url: string;
  token: string;
  dir: string;
  /** Stops the server and starts it again on the same data (new port; sessions survive). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const HOUR = 3600_000;

async function postEvents(url: string, token: string, ndjson: string): Promise<number> {
  const lines = ndjson.split('\n').filter(Boolean);
  let accepted = 0;
  for (let i = 0; i < lines.length; i += 20_000) {
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body: lines.slice(i, i + 20_000).join('\n') + '\n',
    });
    if (!res.ok) throw new Error(`POST /api/v1/events answered ${res.status}: ${await res.text()}`);
    accepted += ((await res.json()) as { accepted: number }).accepted;
  }
  return accepted;
}

/** Starts the server on free ports with `terminals` simulated terminals over the last `hours` hours. */
export async function startDashboardServer(opts: { terminals?: number; hours?: number; seed?: number } = {}): Promise<DashboardServer> {
  const dir = await mkdtemp(join(tmpdir(), 'posops-dashboard-e2e-'));
  const hours = opts.hours ?? 24;
  const start = new Date(Math.floor((Date.now() - hours * HOUR) / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');
  const fleet = generateFleet({ terminals: opts.terminals ?? 120, seed: opts.seed ?? 11, days: hours / 24, start });
  await writeSimFiles(fleet, join(dir, 'sim'));
  const store = await openStore({ dataDir: join(dir, 'data') });
  await upsertRegistry(store, fleet.registry);
  await store.close();
  const config = readConfig({ port: 0, mqttPort: 0, data: join(dir, 'data'), logLevel: 'silent' }, {});
  const server = await startServer(config);
  if (!server.createdAdmin) throw new Error('the server did not create a first admin');
  const token = await firstAdminSession(server.url, `first admin login: ${server.createdAdmin.username} / ${server.createdAdmin.password}`);
  await postEvents(server.url, token, await readFile(join(dir, 'sim', 'events.ndjson'), 'utf8'));
  const running: DashboardServer = {
    server,
    url: server.url,
    token,
    dir,
    async restart() {
      await running.server.stop();
      running.server = await startServer(config);
      running.url = running.server.url;
    },
    async close() {
      await running.server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return running;
}

/** Adds a person through the auth module (as `posops users add` does) and logs them in over HTTP. */
export async function addPerson(s: DashboardServer, u: { username: string; password: string; role: string; merchant?: string; tenant?: string }): Promise<string> {
  await addUser(s.server.store, ACTOR, u);
  const res = await fetch(`${s.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u.username, password: u.password }) });
  if (!res.ok) throw new Error(`login of ${u.username} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** A tenant tree (parent before child) and which terminals belong to which tenant. */
export async function assignTenants(s: DashboardServer, tenants: { tenant: string; parent?: string }[], terminals: { terminal: string; tenant: string }[]): Promise<void> {
  for (const t of tenants) await upsertTenant(s.server.store, t);
  await setTerminalTenants(s.server.store, terminals);
}
