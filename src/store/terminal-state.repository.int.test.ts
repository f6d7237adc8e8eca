import assert from 'node:assert/strict';
import { diagnosis, forEachStore, registryTerminal, terminalState } from '../../test/support/store.ts';
import type { Store } from './index.ts';
import { countTerminalStatesByCause, countTerminalStatesByStatus, findTerminalState, listDiagnosedTerminals, listTerminalStates, upsertRegistry, upsertTerminalStates } from './index.ts';

/** Six terminals over two regions, two carriers, two models, with a spread of statuses. */
async function seed(store: Store): Promise<void> {
  await upsertRegistry(store, {
    terminals: [
      registryTerminal({ terminal: 'T1', region: 'Hangzhou', carrier: 'CMCC', model: 'A920', merchant: 'M1' }),
      registryTerminal({ terminal: 'T2', region: 'Hangzhou', carrier: 'CUCC', model: 'A920', merchant: 'M1' }),
      registryTerminal({ terminal: 'T3', region: 'Ningbo', carrier: 'CUCC', model: 'N910', merchant: 'M2' }),
      registryTerminal({ terminal: 'T4', region: 'Ningbo', carrier: 'CMCC', model: 'N910', merchant: 'M2' }),
      registryTerminal({ terminal: 'T5', region: 'Ningbo', carrier: 'CUCC', model: 'A920', merchant: 'M3' }),
    ],
    merchants: [],
    models: [],
    maintenance: [],
  });
  await upsertTerminalStates(store, [
    terminalState('T1', { status: 'faulty', diagnoses: [diagnosis('hw.chip_reader'), diagnosis('hw.printer')], updated_at: '2026-11-20T10:00:00Z' }),
    terminalState('T2', { status: 'ok', updated_at: '2026-11-20T11:00:00Z' }),
    terminalState('T3', { status: 'offline', diagnoses: [diagnosis('net.carrier_outage', { incident: 'I1' })], updated_at: '2026-11-20T12:00:00Z' }),
    terminalState('T4', { status: 'degraded', diagnoses: [diagnosis('hw.printer_paper')], updated_at: '2026-11-20T09:00:00Z' }),
    terminalState('T5', { status: 'offline', diagnoses: [diagnosis('net.carrier_outage')], updated_at: '2026-11-20T08:00:00Z' }),
    terminalState('X9', { status: 'locked', diagnoses: [diagnosis('sec.tamper')], updated_at: '2026-11-20T07:00:00Z' }),
  ]);
}

const ids = (page: { rows: { terminal: string }[] }) => page.rows.map((r) => r.terminal);

forEachStore('upsertTerminalStates() keeps diagnoses and the registry columns; findTerminalState() reads one', async (store) => {
  await seed(store);
  const t1 = await findTerminalState(store, 'T1');
  assert.deepEqual(t1, {
    terminal: 'T1', status: 'faulty', diagnoses: [diagnosis('hw.chip_reader'), diagnosis('hw.printer')], updated_at: '2026-11-20T10:00:00Z',
    merchant: 'M1', model: 'A920', region: 'Hangzhou', carrier: 'CMCC',
  });
  assert.deepEqual(await findTerminalState(store, 'X9'), terminalState('X9', { status: 'locked', diagnoses: [diagnosis('sec.tamper')], updated_at: '2026-11-20T07:00:00Z' }));
  assert.equal(await findTerminalState(store, 'nope'), undefined);
});

forEachStore('upsertTerminalStates() replaces with newer states and ignores older ones', async (store) => {
  await seed(store);
  await upsertTerminalStates(store, [{ ...terminalState('T1', { status: 'ok' }), updated_at: Date.parse('2026-11-20T13:00:00Z') }]);
  await upsertTerminalStates(store, [terminalState('T1', { status: 'faulty', updated_at: '2026-11-20T12:59:00Z' })]);
  const t1 = await findTerminalState(store, 'T1');
  assert.equal(t1?.status, 'ok');
  assert.deepEqual(t1?.diagnoses, []);
  assert.equal(t1?.updated_at, '2026-11-20T13:00:00Z');
  assert.equal((await listTerminalStates(store, { cause: 'hw.chip_reader' })).total, 0);
});

forEachStore('listTerminalStates() sorts worst first by default, ties by terminal', async (store) => {
  await seed(store);
  const page = await listTerminalStates(store);
  assert.equal(page.total, 6);
  assert.deepEqual(ids(page), ['X9', 'T3', 'T5', 'T1', 'T4', 'T2']);
});

forEachStore('listTerminalStates() filters by status, cause, category, model, region, carrier, merchant', async (store) => {
  await seed(store);
  assert.deepEqual(ids(await listTerminalStates(store, { status: 'offline' })), ['T3', 'T5']);
  assert.deepEqual(ids(await listTerminalStates(store, { cause: 'hw.chip_reader' })), ['T1']);
  assert.deepEqual(ids(await listTerminalStates(store, { cause: 'hw.printer' })), [], 'only the main cause counts');
  assert.deepEqual(ids(await listTerminalStates(store, { category: 'hw' })), ['T1', 'T4']);
  assert.deepEqual(ids(await listTerminalStates(store, { model: 'N910' })), ['T3', 'T4']);
  assert.deepEqual(ids(await listTerminalStates(store, { region: 'Ningbo', carrier: 'CUCC' })), ['T3', 'T5']);
  assert.deepEqual(ids(await listTerminalStates(store, { merchant: 'M1', status: 'ok' })), ['T2']);
  const none = await listTerminalStates(store, { region: 'Ningbo', status: 'faulty' });
  assert.deepEqual(none, { total: 0, rows: [] });
});

forEachStore('listTerminalStates() searches terminal and merchant IDs, case-insensitively, % and _ literal', async (store) => {
  await seed(store);
  assert.deepEqual(ids(await listTerminalStates(store, { search: 'x9' })), ['X9']);
  assert.deepEqual(ids(await listTerminalStates(store, { search: 'm2', sort: 'terminal' })), ['T3', 'T4']);
  assert.equal((await listTerminalStates(store, { search: '%' })).total, 0);
  assert.equal((await listTerminalStates(store, { search: 'T_' })).total, 0);
});

forEachStore('listTerminalStates() sorts by any column both ways and pages with a stable total', async (store) => {
  await seed(store);
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'updated_at', order: 'desc' })), ['T3', 'T2', 'T1', 'T4', 'T5', 'X9']);
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'terminal', order: 'desc' })), ['X9', 'T5', 'T4', 'T3', 'T2', 'T1']);
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'region' })), ['T1', 'T2', 'T3', 'T5', 'T4', 'X9'], 'worst first within a region, no region last');
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'status', order: 'desc' })), ['T2', 'T4', 'T1', 'T5', 'T3', 'X9'], 'best first, ties by terminal descending');
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'cause', order: 'asc' })), ['T1', 'T4', 'T3', 'T5', 'X9', 'T2']);
  assert.deepEqual(ids(await listTerminalStates(store, { sort: 'cause', order: 'desc' })), ['T2', 'X9', 'T5', 'T3', 'T4', 'T1'], 'no cause first when descending');
  const pages = [0, 2, 4].map((offset) => listTerminalStates(store, { sort: 'terminal', offset, limit: 2 }));
  const got = await Promise.all(pages);
  assert.deepEqual(got.map(ids), [['T1', 'T2'], ['T3', 'T4'], ['T5', 'X9']]);
  assert.ok(got.every((p) => p.total === 6));
  assert.deepEqual(await listTerminalStates(store, { limit: 0 }), { total: 6, rows: [] });
});

forEachStore('countTerminalStatesByStatus() and countTerminalStatesByCause() summarize the fleet', async (store) => {
  await seed(store);
  assert.deepEqual(await countTerminalStatesByStatus(store), { ok: 1, degraded: 1, faulty: 1, offline: 2, locked: 1 });
  const byCause = await countTerminalStatesByCause(store);
  assert.deepEqual(byCause[0], { cause: 'net.carrier_outage', count: 2 });
  assert.equal(byCause.length, 4);
});

forEachStore('listDiagnosedTerminals() maps every terminal with diagnoses to them', async (store) => {
  await seed(store);
  const diagnosed = await listDiagnosedTerminals(store);
  assert.deepEqual([...diagnosed.keys()].sort(), ['T1', 'T3', 'T4', 'T5', 'X9']);
  assert.deepEqual(diagnosed.get('T1'), [diagnosis('hw.chip_reader'), diagnosis('hw.printer')]);
});
