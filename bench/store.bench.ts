// Store speed on the embedded PGlite: loading 100,000 terminals and their states, and the
// filtered, sorted page of the terminals table (page + total count), against a `select 1` round
// trip as the floor. Then the same on the loopback PostgreSQL server, when it runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAUSE_CODES, causeInfo, type CauseCode, type RegistryTerminal } from '../src/domain/index.ts';
import {
  analyzeStore, listTerminalStates, openStore, pingStore, upsertRegistry, upsertTerminalStates,
  type Store, type TerminalStateQuery, type TerminalStateRow,
} from '../src/store/index.ts';
import type { BenchResult } from './run.ts';

const TERMINALS = 100_000;
/** The loopback server the tests use; the bench reports it as skipped when it is not running. */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/test';
const REPEAT = 30;
const REGIONS = Array.from({ length: 30 }, (_, i) => `R${i}`);
const CARRIERS = ['CMCC', 'CUCC', 'CTCC'];
const MODELS = ['A920', 'N910', 'P2', 'S900', 'X990', 'V200'];

function fleet(): RegistryTerminal[] {
  return Array.from({ length: TERMINALS }, (_, i) => ({
    terminal: `T${String(i).padStart(7, '0')}`,
    merchant: `M${String(i % 20_000).padStart(5, '0')}`,
    model: MODELS[i % MODELS.length]!,
    region: REGIONS[Math.floor(i / 7) % REGIONS.length]!,
    carrier: CARRIERS[(i * 13) % CARRIERS.length]!,
    sim_expires: '2027-01-31',
  }));
}

/** 80% ok; the rest carry one or two diagnoses of a cause spread over the catalogue. */
function states(terminals: RegistryTerminal[]): TerminalStateRow[] {
  return terminals.map((t, i) => {
    if (i % 5 !== 0) return { terminal: t.terminal, status: 'ok', diagnoses: [], updated_at: new Date(Date.UTC(2026, 10, 20, 0, 0, i % 86_400)).toISOString() };
    const cause = CAUSE_CODES[(i / 5) % CAUSE_CODES.length] as CauseCode;
    const d = { cause, confidence: 0.8, since: '2026-11-20T09:00:00Z', evidence: [`figures for ${cause}`], remedy: causeInfo(cause).remedy.en };
    return { terminal: t.terminal, status: causeInfo(cause).status, diagnoses: i % 10 === 0 ? [d, { ...d, cause: 'net.weak_signal' as CauseCode }] : [d], updated_at: new Date(Date.UTC(2026, 10, 20, 12, 0, i % 3600)).toISOString() };
  });
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await fn(); // warm up (plan cache, buffers)
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const QUERIES: { name: string; query: TerminalStateQuery }[] = [
  { name: 'page: region + status, worst first', query: { region: 'R3', status: 'faulty', limit: 50 } },
  { name: 'page: cause, worst first', query: { cause: 'hw.chip_reader', limit: 50 } },
  { name: 'page: model, by updated_at desc, offset 1000', query: { model: 'A920', sort: 'updated_at', order: 'desc', offset: 1000, limit: 50 } },
  { name: 'page: whole fleet, worst first', query: { limit: 50 } },
  { name: 'page: whole fleet, worst first, offset 50000', query: { offset: 50_000, limit: 50 } },
  { name: 'page: search "00042"', query: { search: '00042', limit: 50 } },
];

async function pages(store: Store, floor: number, label: string): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const { name, query } of QUERIES) {
    let total = 0;
    const ms = await median(async () => (total = (await listTerminalStates(store, query)).total));
    out.push({ name: `${name}${label}`, value: ms, unit: 'ms', floor, ratio: ms / floor, note: `${total} match, median of ${REPEAT}` });
  }
  return out;
}

/** The same load and pages on the PostgreSQL server of the tests, in a schema dropped afterwards. */
async function runOnServer(registry: RegistryTerminal[], rows: TerminalStateRow[]): Promise<BenchResult[]> {
  const schema = `posops_bench_${process.pid}`;
  let store: Store;
  try {
    store = await openStore({ databaseUrl: SERVER_URL, schema });
  } catch (err) {
    return [{ name: 'PostgreSQL server', value: NaN, unit: '', note: `skipped: ${(err as Error).message}` }];
  }
  try {
    const floor = await median(() => pingStore(store));
    const loadStates = await timed(async () => {
      await upsertRegistry(store, { terminals: registry, merchants: [], models: [], maintenance: [] });
      await upsertTerminalStates(store, rows);
    });
    await analyzeStore(store);
    return [
      { name: 'select 1 round trip (floor) [server]', value: floor, unit: 'ms', note: `PostgreSQL at ${SERVER_URL}, median of ${REPEAT}` },
      { name: `registry + states, ${TERMINALS} terminals [server]`, value: TERMINALS / loadStates, unit: 'terminals/s', note: `${loadStates.toFixed(2)} s` },
      ...(await pages(store, floor, ' [server]')),
    ];
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
    await store.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'posops-store-bench-'));
  const store = await openStore({ dataDir: dir });
  try {
    const registry = fleet();
    const rows = states(registry);
    const floor = await median(() => pingStore(store));
    const loadRegistry = await timed(() => upsertRegistry(store, { terminals: registry, merchants: [], models: [], maintenance: [] }));
    const loadStates = await timed(() => upsertTerminalStates(store, rows));
    const results: BenchResult[] = [
      { name: 'select 1 round trip (floor)', value: floor, unit: 'ms', note: `PGlite, median of ${REPEAT}` },
      { name: `upsertRegistry ${TERMINALS} terminals`, value: TERMINALS / loadRegistry, unit: 'terminals/s', note: `${loadRegistry.toFixed(2)} s` },
      { name: `upsertTerminalStates ${TERMINALS} states`, value: TERMINALS / loadStates, unit: 'states/s', note: `${loadStates.toFixed(2)} s` },
    ];
    results.push(...(await pages(store, floor, ' (no ANALYZE)')));
    const analyze = await timed(() => analyzeStore(store));
    results.push({ name: 'analyzeStore()', value: analyze * 1000, unit: 'ms' });
    results.push(...(await pages(store, floor, '')));
    results.push(...(await runOnServer(registry, rows)));
    return results;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
