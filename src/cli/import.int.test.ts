// posops import --fleet against a real PostgreSQL server (a database of its own, dropped afterwards).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadRegistry, openStore } from '../store/index.ts';

const BIN = fileURLToPath(new URL('../../bin/posops.js', import.meta.url));
const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DB = `posops_import_${Date.now()}_${randomBytes(3).toString('hex')}`;
const URL_ = `${SERVER}/${DB}`;
let dir = '';

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${SERVER}/test` });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at 127.0.0.1:5432 (${(err as Error).message}) — start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-import-fleet-'));
  await admin((c) => c.query(`create database "${DB}"`));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await admin((c) => c.query(`drop database if exists "${DB}" with (force)`));
});

function posops(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('posops import --fleet loads CSV lists (told apart by their header) and a JSON registry into PostgreSQL', async () => {
  const terminals = join(dir, 'terms.csv');
  const merchants = join(dir, 'shops.csv');
  const json = join(dir, 'more.json');
  await writeFile(terminals, 'terminal,merchant,model,region,carrier,host\nT1,M1,A920,Chengdu,CTCC,hostA\nT2,M1,A920,Chengdu,CMCC,hostA\nbad terminal!,M1,A920,,,\n');
  await writeFile(merchants, '\ufeffmerchant,name,fee_rate\nM1,Noodle shop,0.006\n');
  await writeFile(json, JSON.stringify({ models: [{ model: 'A920', vendor: 'PAX', min_firmware: '5.0.0' }], terminals: [{ terminal: 'T3', model: 'A920' }] }));
  const r = posops('import', '--fleet', terminals, merchants, json, '--database-url', URL_);
  assert.equal(r.status, 0, `a rejected row is reported but the good rows are loaded: ${r.stderr}`);
  assert.match(r.stdout, /registry: 3 terminals, 1 merchants, 1 models, 0 maintenance windows into PostgreSQL; 1 rows rejected/);
  assert.match(r.stderr, new RegExp(`${terminals.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: terminal`));
  const store = await openStore({ databaseUrl: URL_ });
  try {
    const registry = await loadRegistry(store);
    assert.deepEqual(registry.terminals.map((t) => t.terminal).sort(), ['T1', 'T2', 'T3']);
    assert.equal(registry.terminals.find((t) => t.terminal === 'T2')?.carrier, 'CMCC');
    assert.equal(registry.merchants[0]?.name, 'Noodle shop');
    assert.equal(registry.models[0]?.vendor, 'PAX');
  } finally {
    await store.close();
  }
});

test('posops import --fleet refuses a CSV whose header names no registry list', async () => {
  const odd = join(dir, 'odd.csv');
  await writeFile(odd, 'colour,size\nred,2\n');
  const r = posops('import', '--fleet', odd, '--database-url', URL_);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /cannot tell which registry list this CSV holds/);
});

test('posops import --fleet reads the tenant column, assigns terminals to their tenants, and audits the import', async () => {
  const terminals = join(dir, 'tenants.csv');
  await writeFile(terminals, 'terminal,merchant,model,tenant\nT10,M10,A920,agent-east\nT11,M11,A920,agent-west\nT12,M11,A920,\n');
  const r = posops('import', '--fleet', terminals, '--database-url', URL_);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /tenants: 2, terminals assigned: 2/);
  const { listTerminalTenancy, listAudit } = await import('../auth/index.ts');
  const store = await openStore({ databaseUrl: URL_ });
  try {
    const tenancy = new Map((await listTerminalTenancy(store)).map((t) => [t.terminal, t.tenant]));
    assert.equal(tenancy.get('T10'), 'agent-east');
    assert.equal(tenancy.get('T11'), 'agent-west');
    assert.equal(tenancy.get('T12'), null);
    const audit = await listAudit(store);
    assert.ok(audit.some((a) => a.action === 'registry.import'), 'the import is in the audit log');
  } finally {
    await store.close();
  }
});
