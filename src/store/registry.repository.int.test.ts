import assert from 'node:assert/strict';
import { forEachStore, registryTerminal, terminalState } from '../../test/support/store.ts';
import type { Registry } from '../domain/index.ts';
import { findTerminal, findTerminalState, loadRegistry, upsertRegistry, upsertTerminalStates } from './index.ts';

const registry: Registry = {
  terminals: [
    { terminal: 'T0000002', merchant: 'M001', model: 'A920', region: 'Hangzhou', carrier: 'CUCC', sim_expires: '2026-12-31', lease_expires: '2027-03-01', installed: '2024-05-06', host: 'host-a' },
    { terminal: 'T0000001' },
  ],
  merchants: [{ merchant: 'M001', name: '杭州小笼包', fee_rate: 0.0038, daily_limit: 50000 }, { merchant: 'M002' }],
  models: [{ model: 'A920', vendor: 'PAX', min_firmware: '1.2.0', min_app: '3.4.1' }],
  maintenance: [{ start: '2026-11-20T02:00:00Z', end: '2026-11-20T04:30:00Z', host: 'host-a', note: '例行维护' }, { start: '2026-11-21T02:00:00Z', end: '2026-11-21T03:00:00Z' }],
};

forEachStore('upsertRegistry() then loadRegistry() gives the registry back, lists ordered by key', async (store) => {
  const counts = await upsertRegistry(store, registry);
  assert.deepEqual(counts, { terminals: 2, merchants: 2, models: 1, maintenance: 2 });
  const loaded = await loadRegistry(store);
  assert.deepEqual(loaded.terminals, [registry.terminals[1], registry.terminals[0]]);
  assert.deepEqual(loaded.merchants, registry.merchants);
  assert.deepEqual(loaded.models, registry.models);
  assert.deepEqual(loaded.maintenance, registry.maintenance);
});

forEachStore('upsertRegistry() updates what is listed again and keeps the rest', async (store) => {
  await upsertRegistry(store, registry);
  await upsertRegistry(store, {
    terminals: [{ terminal: 'T0000002', merchant: 'M002', model: 'A920' }],
    merchants: [{ merchant: 'M001', name: 'renamed' }],
    models: [],
    maintenance: [{ start: '2026-11-20T02:00:00Z', end: '2026-11-20T04:30:00Z', host: 'host-a', note: 'moved' }],
  });
  const loaded = await loadRegistry(store);
  assert.equal(loaded.terminals.length, 2);
  assert.deepEqual(await findTerminal(store, 'T0000002'), { terminal: 'T0000002', merchant: 'M002', model: 'A920' });
  assert.deepEqual(loaded.merchants[0], { merchant: 'M001', name: 'renamed' });
  assert.equal(loaded.maintenance.length, 2);
  assert.equal(loaded.maintenance.find((w) => w.host === 'host-a')?.note, 'moved');
});

forEachStore('findTerminal() returns undefined for an unknown terminal', async (store) => {
  await upsertRegistry(store, registry);
  assert.equal(await findTerminal(store, 'NOPE'), undefined);
});

forEachStore('upsertRegistry() loads 5,000 terminals in chunks and moves states to their new region', async (store) => {
  const terminals = Array.from({ length: 5000 }, (_, i) => registryTerminal({ terminal: `B${i}`, region: 'Hangzhou' }));
  await upsertRegistry(store, { terminals, merchants: [], models: [], maintenance: [] });
  await upsertTerminalStates(store, [terminalState('B4999')]);
  assert.equal((await findTerminalState(store, 'B4999'))?.region, 'Hangzhou');
  await upsertRegistry(store, { terminals: [{ ...terminals[4999]!, region: 'Ningbo' }], merchants: [], models: [], maintenance: [] });
  assert.equal((await loadRegistry(store)).terminals.length, 5000);
  assert.equal((await findTerminalState(store, 'B4999'))?.region, 'Ningbo');
});
