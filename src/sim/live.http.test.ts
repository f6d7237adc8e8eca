// Live mode over HTTP: NDJSON batches are POSTed to /api/v1/events with the given Authorization,
// every line a valid event, simulated time running at the requested speed.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { eventually } from '../../test/support/eventually.ts';
import { validateLine } from '../domain/index.ts';
import { generateFleet, startLiveFleet } from './index.ts';

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('startLiveFleet() posts NDJSON batches of valid events to /api/v1/events', async () => {
  const posts: { path: string; type?: string; auth?: string; lines: string[] }[] = [];
  let refused: string[] | undefined;
  const server = createServer(async (req, res) => {
    const text = await body(req);
    if (!refused) {
      refused = text.split('\n').filter(Boolean);
      res.writeHead(503, { 'retry-after': '1' }).end('{"error":{"code":"INGEST_OVERLOADED"}}');
      return;
    }
    posts.push({ path: req.url ?? '', type: req.headers['content-type'], auth: req.headers['authorization'], lines: text.split('\n').filter(Boolean) });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":0,"duplicates":0,"rejected":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const fleet = generateFleet({ terminals: 20, days: 1, seed: 5, start: '2026-11-20T04:00:00Z', prefix: 'H' });
  const live = await startLiveFleet({ fleet, target: { http: { url: `http://127.0.0.1:${port}`, auth: 'tok123' } }, speed: 300, tickMs: 100 });
  try {
    await eventually(() => {
      const lines = posts.flatMap((p) => p.lines);
      assert.ok(new Set(lines.map((l) => JSON.parse(l).terminal)).size === 20, 'not every terminal has sent');
      assert.ok(lines.some((l) => l.includes('"type":"txn"')), 'no transactions yet');
    }, 20_000, 100);
    for (const p of posts) {
      assert.equal(p.path, '/api/v1/events');
      assert.equal(p.type, 'application/x-ndjson');
      assert.equal(p.auth, 'Bearer tok123');
      for (const l of p.lines) assert.ok(validateLine(l).ok, l);
    }
    const accepted = new Set(posts.flatMap((p) => p.lines));
    assert.ok(refused && refused.length > 0);
    for (const l of refused) assert.ok(accepted.has(l), `a line refused with 503 was not sent again: ${l}`);
    assert.ok(live.now() > fleet.start, 'simulated time runs');
  } finally {
    await live.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('startLiveFleet() with `from` sends the history first, then runs on at the given speed', async () => {
  const lines: string[] = [];
  const server = createServer(async (req, res) => {
    lines.push(...(await body(req)).split('\n').filter(Boolean));
    res.writeHead(200).end('{"accepted":0,"duplicates":0,"rejected":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const fleet = generateFleet({ terminals: 10, days: 1, seed: 6, start: '2026-11-20T01:00:00Z', prefix: 'B' });
  const from = fleet.start + 4 * 3600_000;
  const live = await startLiveFleet({ fleet, target: { http: { url: `http://127.0.0.1:${port}/api/v1/events` } }, speed: 1, from, tickMs: 100 });
  try {
    await eventually(() => {
      const old = lines.map((l) => Date.parse(JSON.parse(l).ts)).filter((ts) => ts < fleet.start + 3600_000);
      assert.ok(old.length > 20, `only ${old.length} events of the first hour`);
    }, 10_000, 50);
    assert.ok(Math.abs(live.now() - from) < 60_000, 'live time starts at `from`');
  } finally {
    await live.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
