// Dashboard read latency at the server with a large fleet (default 100,000 terminals, POSOPS_BENCH_TERMINALS
// is not read here: pass `terminals` to run()). Each route figure is the median of several app.inject() calls;
// the floor is the same request to a route that answers a constant, so the ratio shows the dashboard's own cost.

import Fastify from 'fastify';
import type { DiagnosisReport, Registry, TerminalStatus } from '../src/domain/index.ts';
import { registerDashboardRoutes } from '../src/dashboard/index.ts';

interface BenchResult { name: string; value: number; unit: string; floor?: number; ratio?: number; note?: string }

const STATUS_BY_CAUSE: [string, TerminalStatus][] = [['hw.chip_reader', 'faulty'], ['net.offline', 'offline'], ['hw.printer_paper', 'degraded'], ['net.weak_signal', 'degraded'], ['sec.tamper', 'locked']];
const REGIONS = ['Beijing', 'Shanghai', 'Chengdu', 'Haikou', 'Wuhan', 'Xi\'an', 'Harbin', 'Kunming'];
const MODELS = ['A920', 'K9', 'N910', 'P2', 'V2', 'A8'];

function fleet(n: number): { registry: Registry; report: DiagnosisReport } {
  const registry: Registry = { terminals: [], merchants: [], models: [], maintenance: [] };
  const report: DiagnosisReport = { at: new Date().toISOString(), terminals: [], incidents: [] };
  for (let i = 0; i < n; i++) {
    const terminal = `T${String(i).padStart(8, '0')}`;
    registry.terminals.push({ terminal, merchant: `M${i >> 3}`, model: MODELS[i % MODELS.length], region: REGIONS[i % REGIONS.length], carrier: ['CMCC', 'CUCC', 'CTCC'][i % 3], sim_expires: `2026-${String((i % 12) + 1).padStart(2, '0')}-15` });
    const trouble = i % 5 === 0 ? STATUS_BY_CAUSE[(i / 5) % STATUS_BY_CAUSE.length]! : undefined;
    report.terminals.push({
      terminal, status: trouble ? trouble[1] : 'ok',
      diagnoses: trouble ? [{ cause: trouble[0] as 'hw.chip_reader', confidence: 0.9, since: new Date(Date.now() - (i % 1440) * 60_000).toISOString(), evidence: ['x'], remedy: ['y'] }] : [],
    });
  }
  report.incidents.push({ cause: 'net.carrier_outage', scope: { carrier: 'CUCC', region: 'Chengdu' }, terminals: report.terminals.slice(0, 500).map((t) => t.terminal), since: report.at });
  return { registry, report };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

export async function run(opts: { terminals?: number; repeat?: number } = {}): Promise<BenchResult[]> {
  const n = opts.terminals ?? 100_000;
  const repeat = opts.repeat ?? 9;
  const { registry, report } = fleet(n);
  const app = Fastify();
  let current = report;
  const dashboard = registerDashboardRoutes(app, { diagnosis: () => current, registry: () => registry, now: Date.now, caller: () => ({ role: 'admin' }) });
  app.get('/floor', async () => ({ ok: true }));
  const t0 = performance.now();
  await dashboard.ready;
  const startMs = performance.now() - t0;
  const time = async (url: string) => {
    const ms: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      const res = await app.inject({ url });
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
      ms.push(performance.now() - t);
    }
    return median(ms);
  };
  const floor = await time('/floor');
  const out: BenchResult[] = [];
  const add = (name: string, value: number, note?: string) => out.push({ name, value, unit: 'ms', floor, ratio: value / floor, note });
  add(`overview (${n.toLocaleString('en-US')} terminals)`, await time('/api/v1/dashboard/overview'), 'target < 200 ms');
  add('terminal list, default order, page 1', await time('/api/v1/terminals?limit=50'), 'target < 100 ms');
  add('terminal list, filtered + sorted by since, page 20', await time('/api/v1/terminals?status=faulty,offline&region=Chengdu&sort=since&order=desc&offset=950&limit=50'), 'target < 100 ms');
  add('terminal list, search by ID', await time('/api/v1/terminals?search=T0009999'), 'target < 100 ms');
  add('terminal profile', await time('/api/v1/terminals/T00000005/profile'), 'target < 100 ms');
  add('terminal series', await time('/api/v1/terminals/T00000005/series'), 'target < 100 ms');
  const changed = { ...report, terminals: report.terminals.map((t, i) => (i % 100 === 1 ? { ...t, status: 'faulty' as const, diagnoses: [{ cause: 'hw.keypad' as const, confidence: 0.8, since: report.at, evidence: [], remedy: [] }] } : t)) };
  current = changed;
  const t1 = performance.now();
  await dashboard.refresh();
  out.push({ name: 'refresh: fold a new diagnosis of the whole fleet (1% changed)', value: performance.now() - t1, unit: 'ms', note: 'done once per change batch, not per request' });
  out.push({ name: 'first load (registry + diagnosis)', value: startMs, unit: 'ms' });
  await app.close();
  return out;
}
