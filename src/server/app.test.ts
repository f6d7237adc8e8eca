import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, heartbeat, ndjson } from './app.fixture.ts';
import { createTokenAuthenticator, terminalSecret } from './auth-hook.ts';

const json = (payload: unknown) => ({ payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

test('GET /health answers ok without authentication', async (t) => {
  const { app, close } = await buildTestApp({ authenticator: createTokenAuthenticator({ adminToken: 'a'.repeat(32), terminalKey: 'k' }) });
  t.after(close);
  const res = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET /metrics counts accepted, rejected and duplicate events per transport, queue depth and log bytes', async (t) => {
  const { app, close } = await buildTestApp();
  t.after(close);
  const first = heartbeat('T-MET');
  await app.inject({ method: 'POST', url: '/api/v1/events', ...json([first, heartbeat('T-MET'), heartbeat('T-MET', { v: 2 })]) });
  await app.inject({ method: 'POST', url: '/api/v1/events', ...json(first) });
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /text\/plain/);
  assert.match(res.body, /posops_events_accepted_total\{transport="http"\} 2\n/);
  assert.match(res.body, /posops_events_rejected_total\{transport="http"\} 1\n/);
  assert.match(res.body, /posops_events_duplicate_total\{transport="http"\} 1\n/);
  assert.match(res.body, /posops_ingest_queue_depth 0\n/);
  const bytes = Number(/posops_log_bytes (\d+)/.exec(res.body)?.[1]);
  assert.ok(bytes > 0, 'log bytes grow with accepted events');
  assert.match(res.body, /posops_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/events",status_code="200"\} 2/);
});

test('/api/v1 routes want credentials: 401 without or with a wrong token, 200 with the admin token', async (t) => {
  const adminToken = 'admin-token-for-tests-0123456789';
  const { app, close } = await buildTestApp({ authenticator: createTokenAuthenticator({ adminToken, terminalKey: 'key' }) });
  t.after(close);
  const none = await app.inject({ method: 'GET', url: '/api/v1/diagnosis' });
  assert.equal(none.statusCode, 401);
  assert.equal((none.json() as { error: { code: string } }).error.code, 'AUTH_REQUIRED');
  const wrong = await app.inject({ method: 'GET', url: '/api/v1/diagnosis', headers: { authorization: 'Bearer nope' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal((wrong.json() as { error: { code: string } }).error.code, 'AUTH_INVALID_CREDENTIALS');
  const ok = await app.inject({ method: 'GET', url: '/api/v1/diagnosis', headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(ok.statusCode, 200);
});

test('a terminal posting with Basic credentials may send only its own events', async (t) => {
  const { app, close } = await buildTestApp({ authenticator: createTokenAuthenticator({ adminToken: 'x'.repeat(32), terminalKey: 'key' }) });
  t.after(close);
  const basic = 'Basic ' + Buffer.from(`T-OWN:${terminalSecret('key', 'T-OWN')}`).toString('base64');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/events',
    payload: ndjson([heartbeat('T-OWN'), heartbeat('T-OTHER')]),
    headers: { 'content-type': 'application/x-ndjson', authorization: basic },
  });
  assert.equal(res.statusCode, 200);
  const body = res.json() as { accepted: number; rejected: { index: number; error: string }[] };
  assert.equal(body.accepted, 1);
  assert.equal(body.rejected[0]?.index, 1);
  assert.match(body.rejected[0]!.error, /T-OTHER|terminal/);
  const badSecret = 'Basic ' + Buffer.from('T-OWN:wrong').toString('base64');
  const refused = await app.inject({ method: 'POST', url: '/api/v1/events', ...json(heartbeat('T-OWN')), headers: { 'content-type': 'application/json', authorization: badSecret } });
  assert.equal(refused.statusCode, 401);
});

test('GET /api/v1/terminals/:terminal: 404 when unknown, the causes.md entry with registry facts when known', async (t) => {
  const registry = { terminals: [{ terminal: 'T-REG', model: 'A920', region: 'Hangzhou' }], merchants: [], models: [], maintenance: [] };
  const { app, close } = await buildTestApp({ registry });
  t.after(close);
  const unknown = await app.inject({ method: 'GET', url: '/api/v1/terminals/T-NOBODY' });
  assert.equal(unknown.statusCode, 404);
  assert.equal((unknown.json() as { error: { code: string } }).error.code, 'FLEET_TERMINAL_NOT_FOUND');
  await app.inject({ method: 'POST', url: '/api/v1/events', ...json(heartbeat('T-REG')) });
  const known = await app.inject({ method: 'GET', url: '/api/v1/terminals/T-REG' });
  assert.equal(known.statusCode, 200);
  const body = known.json() as { terminal: string; status: string; diagnoses: unknown[]; registry: { model: string } };
  assert.equal(body.terminal, 'T-REG');
  assert.ok(['ok', 'degraded', 'faulty', 'offline', 'locked'].includes(body.status));
  assert.ok(Array.isArray(body.diagnoses));
  assert.equal(body.registry.model, 'A920');
});

test('a bad path parameter answers 400 REQUEST_INVALID naming the field', async (t) => {
  const { app, close } = await buildTestApp();
  t.after(close);
  const res = await app.inject({ method: 'GET', url: '/api/v1/terminals/bad%20id!' });
  assert.equal(res.statusCode, 400);
  const body = res.json() as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'REQUEST_INVALID');
  assert.match(body.error.message, /terminal/);
});

test('GET /api/v1/diagnosis gives the causes.md object; /api/v1/incidents a list', async (t) => {
  const { app, close } = await buildTestApp();
  t.after(close);
  await app.inject({ method: 'POST', url: '/api/v1/events', ...json(heartbeat('T-DIAG')) });
  const report = (await app.inject({ method: 'GET', url: '/api/v1/diagnosis' })).json() as { at: string; terminals: unknown[]; incidents: unknown[] };
  assert.ok(Date.parse(report.at) === Date.parse('2026-06-04T12:00:00Z'));
  assert.ok(Array.isArray(report.terminals));
  assert.ok(Array.isArray(report.incidents));
  const incidents = await app.inject({ method: 'GET', url: '/api/v1/incidents' });
  assert.equal(incidents.statusCode, 200);
  assert.ok(Array.isArray(incidents.json()));
});

test('/openapi.json describes the routes and /docs serves Swagger UI', async (t) => {
  const { app, close } = await buildTestApp();
  t.after(close);
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
  assert.match(doc.openapi, /^3\./);
  for (const path of ['/api/v1/events', '/api/v1/diagnosis', '/api/v1/incidents', '/api/v1/terminals/{terminal}', '/health', '/metrics']) {
    assert.ok(doc.paths[path], `${path} is documented`);
  }
  const ui = await app.inject({ method: 'GET', url: '/docs/' });
  assert.equal(ui.statusCode, 200);
  assert.match(ui.body, /swagger/i);
});

test('POST /api/v1/events answers 503 with Retry-After when the ingest queue is full', async (t) => {
  const { app, close } = await buildTestApp({ maxQueue: 5 });
  t.after(close);
  const batch = () => ndjson(Array.from({ length: 4 }, () => heartbeat('T-BUSY')));
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/api/v1/events', payload: batch(), headers: { 'content-type': 'application/x-ndjson' } })),
  );
  const overloaded = answers.filter((r) => r.statusCode === 503);
  assert.ok(overloaded.length > 0, `some of 20 concurrent batches are refused (statuses: ${answers.map((r) => r.statusCode).join(',')})`);
  assert.equal(overloaded[0]!.headers['retry-after'], '1');
  assert.equal((overloaded[0]!.json() as { error: { code: string } }).error.code, 'INGEST_OVERLOADED');
  assert.ok(answers.some((r) => r.statusCode === 200), 'the others are taken');
});
