import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DiagnosisReport, Registry, TerminalStatus } from '../domain/index.ts';
import { eventually } from '../../test/support/eventually.ts';
import { registerDashboardRoutes, type Dashboard, type DashboardCaller } from './index.ts';

const STATUSES: TerminalStatus[] = ['ok', 'degraded', 'faulty', 'offline', 'locked'];
const CAUSE: Record<TerminalStatus, string | undefined> = { ok: undefined, degraded: 'hw.printer_paper', faulty: 'hw.chip_reader', offline: 'net.offline', locked: 'sec.tamper' };

function registry(n: number): Registry {
  return {
    terminals: Array.from({ length: n }, (_, i) => ({
      terminal: `T${String(i).padStart(5, '0')}`, merchant: `M${i % 7}`, model: i % 2 ? 'A920' : 'K9', region: i % 3 ? 'Chengdu' : 'Haikou', carrier: 'CMCC',
      sim_expires: i === 3 ? '2026-12-01' : '2030-01-01',
    })),
    merchants: [{ merchant: 'M1', name: '好运便利店' }],
    models: [],
    maintenance: [],
  };
}

function report(n: number, shift = 0): DiagnosisReport {
  return {
    at: '2026-11-20T12:00:00Z',
    terminals: Array.from({ length: n }, (_, i) => {
      const status = STATUSES[(i + shift) % 5]!;
      const cause = CAUSE[status];
      return {
        terminal: `T${String(i).padStart(5, '0')}`, status,
        diagnoses: cause ? [{ cause: cause as 'hw.chip_reader', confidence: 0.5 + (i % 5) / 10, since: `2026-11-20T${String(i % 12).padStart(2, '0')}:00:00Z`, evidence: ['e'], evidence_zh: ['证据'], remedy: ['r'] }] : [],
      };
    }),
    incidents: [{ cause: 'net.carrier_outage', scope: { carrier: 'CMCC', region: 'Chengdu' }, terminals: ['T00002', 'T00007'], since: '2026-11-20T10:00:00Z' }],
  };
}

describe('dashboard routes', () => {
  let app: FastifyInstance;
  let dashboard: Dashboard;
  let current = report(200);
  let notify: () => void = () => undefined;
  const agentA = { role: 'ops', tenant: 'agent-a', sees: (t: string) => t < 'T00050' };
  const callers: Record<string, DashboardCaller> = { admin: { role: 'admin' }, m1: { role: 'merchant', merchant: 'M1' }, term: { role: 'terminal' }, agentA };

  before(async () => {
    app = Fastify();
    dashboard = registerDashboardRoutes(app, {
      diagnosis: () => current,
      registry: () => registry(200),
      now: () => Date.parse('2026-11-20T12:00:00Z'),
      subscribe: (fn) => ((notify = () => fn()), () => undefined),
      caller: (req) => callers[String(req.headers['x-who'])],
    });
    await dashboard.ready;
  });
  after(() => app.close());

  const get = async (url: string, who = 'admin') => app.inject({ url, headers: { 'x-who': who } });

  test('overview counts every status, cause and the contracts of the next 30 days', async () => {
    const o = (await get('/api/v1/dashboard/overview')).json();
    assert.deepEqual(o.byStatus, { ok: 40, degraded: 40, faulty: 40, offline: 40, locked: 40 });
    assert.equal(o.byCause.find((c: { cause: string }) => c.cause === 'hw.chip_reader').count, 40);
    assert.deepEqual(o.contracts.items.map((c: { terminal: string }) => c.terminal), ['T00003']);
    assert.equal(o.incidents.open, 1);
  });

  test('the list filters, sorts and pages like a full sort would', async () => {
    const r = (await get('/api/v1/terminals?status=faulty,offline&region=Chengdu&sort=confidence&order=desc&offset=5&limit=10')).json();
    const all = report(200).terminals
      .map((t, i) => ({ ...t, region: i % 3 ? 'Chengdu' : 'Haikou', conf: t.diagnoses[0]?.confidence ?? -1 }))
      .filter((t) => ['faulty', 'offline'].includes(t.status) && t.region === 'Chengdu')
      .sort((a, b) => b.conf - a.conf || (a.terminal < b.terminal ? -1 : 1));
    assert.equal(r.total, all.length);
    assert.deepEqual(r.rows.map((x: { terminal: string }) => x.terminal), all.slice(5, 15).map((t) => t.terminal));
    const bad = await get('/api/v1/terminals?sort=nonsense');
    assert.equal(bad.statusCode, 400);
  });

  test('CSV export streams every row of the filter', async () => {
    const res = await get('/api/v1/terminals.csv?status=locked');
    assert.match(String(res.headers['content-type']), /text\/csv/);
    const lines = res.body.trim().split('\n');
    assert.equal(lines[0], 'terminal,status,cause,category,confidence,since,merchant,merchantName,model,region,carrier,version,incident');
    assert.equal(lines.length, 41);
    assert.ok(lines.slice(1).every((l) => l.split(',')[1] === 'locked'));
  });

  test('a merchant sees only its own terminals, and no fleet views', async () => {
    const list = (await get('/api/v1/terminals?limit=500&merchant=M2', 'm1')).json();
    assert.ok(list.total > 0);
    assert.ok(list.rows.every((r: { merchant: string }) => r.merchant === 'M1'));
    assert.equal((await get('/api/v1/terminals/T00001/profile', 'm1')).statusCode, 200);
    assert.equal((await get('/api/v1/terminals/T00002/profile', 'm1')).statusCode, 404);
    assert.equal((await get('/api/v1/dashboard/overview', 'm1')).statusCode, 403);
    assert.equal((await get('/api/v1/dashboard/incidents', 'm1')).statusCode, 403);
    assert.ok((await get('/api/v1/terminals.csv', 'm1')).body.trim().split('\n').slice(1).every((l) => l.split(',')[6] === 'M1'));
    assert.equal((await get('/api/v1/dashboard/me', 'm1')).json().merchantName, '好运便利店');
    assert.equal((await get('/api/v1/terminals', 'term')).statusCode, 403);
    assert.equal((await get('/api/v1/terminals', 'nobody')).statusCode, 401);
  });

  test('tenant-bound staff get the counts, facets and contracts of their part of the fleet', async () => {
    const o = (await get('/api/v1/dashboard/overview', 'agentA')).json();
    assert.equal(o.total, 50);
    assert.deepEqual(o.byStatus, { ok: 10, degraded: 10, faulty: 10, offline: 10, locked: 10 });
    assert.equal(o.byCause.find((c: { cause: string }) => c.cause === 'hw.chip_reader').count, 10);
    assert.deepEqual(o.contracts.items.map((c: { terminal: string }) => c.terminal), ['T00003']);
    assert.equal(o.history.day.at(-1).faulty, 10);
    assert.deepEqual(o.incidents.items[0].count, 2);
    assert.equal((await get('/api/v1/dashboard/overview')).json().total, 200);
  });

  test('a changed diagnosis updates the aggregates and the incident timeline, and is streamed live', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${address.port}/api/v1/stream`, { headers: { 'x-who': 'admin' }, signal: abort.signal });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        text += value;
      }
    })();
    await eventually(() => assert.match(text, /event: hello/), 2000);
    current = { ...report(200, 1), incidents: [{ ...report(200).incidents[0]!, terminals: ['T00002', 'T00011'] }] };
    notify();
    await eventually(() => assert.match(text, /event: diagnosis/), 3000);
    await eventually(() => assert.match(text, /event: incident/), 3000);
    const o = (await get('/api/v1/dashboard/overview')).json();
    assert.deepEqual(o.byStatus, { ok: 40, degraded: 40, faulty: 40, offline: 40, locked: 40 });
    assert.equal((await get('/api/v1/terminals/T00000/profile')).json().status, 'degraded');
    const id = o.incidents.items[0].id;
    const detail = (await get(`/api/v1/dashboard/incidents/${encodeURIComponent(id)}`)).json();
    assert.deepEqual(detail.timeline.map((e: { kind: string; terminals: string[] }) => [e.kind, e.terminals]), [['opened', ['T00002', 'T00007']], ['joined', ['T00011']], ['left', ['T00007']]]);
    current = { ...current, incidents: [] };
    await dashboard.refresh();
    assert.equal((await get('/api/v1/dashboard/incidents')).json().incidents[0].open, false);
    abort.abort();
    await reading;
  });
});
