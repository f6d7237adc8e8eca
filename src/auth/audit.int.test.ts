// The audit chain on both kinds of store: intact after appends; an edited, a deleted and a removed
// last row are each detected.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { forEachStore } from '../../test/support/store.ts';
import type { Store } from '../store/index.ts';
import { appendAudit, listAudit, verifyAuditChain } from './audit.ts';

const who = { actor: 'alice', kind: 'user' as const, address: '10.0.0.7', tenant: 'agent-a' };

async function fill(store: Store, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await appendAudit(store, who, { action: 'user.add', target: `u${i}`, before: { n: i - 1 }, after: { n: i, tags: ['x', 'y'], nested: { b: 1, a: 2 } } });
}

forEachStore('verifyAuditChain() accepts an untouched chain and lists newest first', async (store) => {
  await fill(store, 5);
  assert.deepEqual(await verifyAuditChain(store), { ok: true, rows: 5 });
  const rows = await listAudit(store, { limit: 2 });
  assert.deepEqual(rows.map((r) => r.seq), [5, 4]);
  assert.deepEqual(rows[0]!.after, { n: 5, tags: ['x', 'y'], nested: { a: 2, b: 1 } });
  assert.equal(rows[0]!.prev_hash, (await listAudit(store, { before: 5, limit: 1 }))[0]!.hash);
});

forEachStore('verifyAuditChain() detects an edited row', async (store) => {
  await fill(store, 5);
  await sql`update audit_log set after = ${'{"n":999}'} where seq = 3`.execute(store.db);
  const v = await verifyAuditChain(store);
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.seq, 3);
});

forEachStore('verifyAuditChain() detects a deleted row, and a row removed from the end', async (store) => {
  await fill(store, 5);
  await sql`delete from audit_log where seq = 2`.execute(store.db);
  const middle = await verifyAuditChain(store);
  assert.equal(middle.ok, false);
  assert.match(!middle.ok ? middle.problem : '', /row 2 is missing/);
  await sql`delete from audit_log where seq >= 2`.execute(store.db);
  const tail = await verifyAuditChain(store);
  assert.equal(tail.ok, false);
  assert.match(!tail.ok ? tail.problem : '', /removed from the end/);
});

forEachStore('concurrent appends still form one chain', async (store) => {
  await Promise.all(Array.from({ length: 8 }, (_, i) => appendAudit(store, who, { action: 'token.create', target: `t${i}` })));
  assert.deepEqual(await verifyAuditChain(store), { ok: true, rows: 8 });
});
