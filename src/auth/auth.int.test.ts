// Login (sessions, growing delay, lockout), tenant scope and the tamper response, on a PGlite store.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { isPosopsError } from '../domain/index.ts';
import { eventually } from '../../test/support/eventually.ts';
import { openStore, upsertRegistry, type Store } from '../store/index.ts';
import { addUser, createAuth, listAudit, listNotifications, login, setTerminalTenants, upsertTenant, verifyAuditChain, type Auth } from './index.ts';

let store: Store;
let dir: string;
let auth: Auth;
let now = Date.parse('2026-11-20T10:00:00Z');
const commands: { terminal: string; command: unknown }[] = [];
const cli = { actor: 'test', kind: 'cli' as const };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-auth-'));
  store = await openStore({ dataDir: dir });
  auth = await createAuth({ store, now: () => now, lockout: { baseDelayMs: 1, maxDelayMs: 5 }, publishCommand: async (terminal, command) => void commands.push({ terminal, command }) });
  await addUser(store, cli, { username: 'carol', role: 'ops', tenant: 'agent-a', password: 'a long password' });
});
after(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

test('login gives an opaque token that authenticates until it expires; logout is not needed for expiry', async () => {
  const { token, expires_at } = await login(auth.login, 'carol', 'a long password');
  assert.match(token, /^pss_[A-Za-z0-9_-]{43}$/);
  const p = await auth.authenticate({ authorization: `Bearer ${token}` });
  assert.equal(p?.id, 'carol');
  assert.equal(p?.role, 'ops');
  now = Date.parse(expires_at) + 1;
  assert.equal(await auth.authenticate({ authorization: `Bearer ${token}` }), undefined);
  now = Date.parse('2026-11-20T10:00:00Z');
});

test('five wrong passwords lock the account (429 AUTH_ACCOUNT_LOCKED) even for the right password, until the lock ends', async () => {
  await addUser(store, cli, { username: 'dave', role: 'technician', password: 'the right one!' });
  for (let i = 0; i < 4; i++) await assert.rejects(login(auth.login, 'dave', 'wrong'), (e) => isPosopsError(e, 'AUTH_INVALID_CREDENTIALS'));
  await assert.rejects(login(auth.login, 'dave', 'wrong'), (e) => isPosopsError(e, 'AUTH_ACCOUNT_LOCKED') && e.statusCode === 429);
  await assert.rejects(login(auth.login, 'dave', 'the right one!'), (e) => isPosopsError(e, 'AUTH_ACCOUNT_LOCKED'));
  now += 15 * 60_000 + 1000;
  assert.ok((await login(auth.login, 'dave', 'the right one!')).token);
  assert.ok((await listAudit(store)).some((a) => a.action === 'user.locked' && a.target === 'dave'));
});

test('login never crashes and accepts nothing but the right password (property)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.anything(), fc.anything(), async (username, password) => {
      try {
        await login(auth.login, username, password);
        assert.fail('accepted a random login');
      } catch (e) {
        assert.ok(isPosopsError(e, 'AUTH_INVALID_CREDENTIALS') || isPosopsError(e, 'AUTH_ACCOUNT_LOCKED'), String(e));
      }
    }),
    { numRuns: 40 },
  );
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 40 }).filter((s) => s !== 'a long password'), async (password) => {
      await assert.rejects(login({ ...auth.login, lockout: { ...auth.login.lockout, maxFailures: 1e9 } }, 'carol', password), (e) => isPosopsError(e, 'AUTH_INVALID_CREDENTIALS'));
    }),
    { numRuns: 15 },
  );
});

test('tamper=true locks the terminal: lock command, persistent lock, sec.tamper/locked, notification; only unlock clears it', async () => {
  await upsertRegistry(store, { terminals: [{ terminal: 'T-TAMP', merchant: 'M1' }], merchants: [], models: [], maintenance: [] });
  await upsertTenant(store, { tenant: 'agent-a' });
  await setTerminalTenants(store, [{ terminal: 'T-TAMP', tenant: 'agent-a' }]);
  const hb = { v: 1, id: 'h1', type: 'heartbeat', terminal: 'T-TAMP', ts: '2026-11-20T10:00:00Z', tsMs: now, tamper: true } as never;
  auth.tamper.observe(hb);
  auth.tamper.observe(hb); // once per lock
  await auth.tamper.settled();
  assert.deepEqual(commands.map((c) => [c.terminal, (c.command as { command: string }).command]), [['T-TAMP', 'lock']]);
  const engine = auth.tamper.wrap({ observe() {}, diagnose: () => ({ at: '', terminals: [{ terminal: 'T-TAMP', status: 'ok', diagnoses: [] }], incidents: [] }), changes: () => [], view: () => undefined, terminal: () => undefined, incidents: () => [], setRegistry() {}, snapshot: () => ({}) });
  const d = engine.diagnose(now).terminals[0]!;
  assert.equal(d.status, 'locked');
  assert.equal(d.diagnoses[0]?.cause, 'sec.tamper');
  assert.deepEqual((await listNotifications(store)).map((n) => [n.terminal, n.tenant, n.kind]), [['T-TAMP', 'agent-a', 'sec.tamper']]);
  // the lock survives a restart
  const again = await createAuth({ store });
  assert.ok(again.tamper.locks.has('T-TAMP'));
  await auth.tamper.unlock('T-TAMP', 'inspected on site, seal intact', { actor: 'root', kind: 'user', address: '127.0.0.1' });
  await eventually(() => assert.equal((commands.at(-1)!.command as { command: string }).command, 'unlock'));
  assert.equal(engine.diagnose(now).terminals[0]!.status, 'ok');
  const unlock = (await listAudit(store)).find((a) => a.action === 'terminal.unlock');
  assert.deepEqual((unlock?.after as { reason: string }).reason, 'inspected on site, seal intact');
  assert.deepEqual(await verifyAuditChain(store), { ok: true, rows: (await listAudit(store, { limit: 1000 })).length });
});
