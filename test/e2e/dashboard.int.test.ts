// The dashboard end to end: a real posops server (store, log, ingest, engine) fed a simulated day over
// HTTP, and Debian's Chromium reading it the way staff and merchants do.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually } from '../support/eventually.ts';
import { MERCHANT_EN, MERCHANT_ZH } from '../../web/src/i18n/merchant.ts';
import { ensureWebBuilt, horizontalOverflow, launchBrowser, openPage, shot, type WatchedPage } from './dashboard.browser.ts';
import { addUser } from '../../src/auth/index.ts';
import { addPerson, assignTenants, startDashboardServer, type DashboardServer } from './dashboard.fixture.ts';

type Counts = Record<'ok' | 'degraded' | 'faulty' | 'offline' | 'locked', number>;
const STATUSES = ['ok', 'degraded', 'faulty', 'offline', 'locked'] as const;

let server: DashboardServer;
let browser: Browser;
const opened: WatchedPage[] = [];

async function api<T>(path: string, token = server.token): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${path} answered ${res.status}`);
  return (await res.json()) as T;
}

async function statusOf(path: string, token: string): Promise<number> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.status;
}

interface Row { terminal: string; status: keyof Counts; merchant?: string; region?: string; model?: string; cause?: string }
const allRows = async () => (await api<{ rows: Row[] }>('/api/v1/terminals?limit=500')).rows;

const digits = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));

async function figure(page: Page, status: string): Promise<number> {
  return digits(await page.getByTestId(`figure-${status}`).locator('.ant-statistic-content').textContent());
}

/** Logs in through the login page with an access token (the server's first admin token). */
async function logInThroughPage(w: WatchedPage, token: string): Promise<void> {
  await w.page.goto(`${server.url}/login`);
  await w.page.getByRole('tab').nth(1).click();
  await w.page.getByTestId('login-token').fill(token);
  await w.page.getByTestId('login-token-submit').click();
}

/** A page already holding the admin token (the login page itself is tested once, below). */
async function loggedIn(width: number, locale: 'zh-CN' | 'en', path = '/'): Promise<WatchedPage> {
  const w = await openPage(browser, width, locale);
  opened.push(w);
  await w.context.addInitScript((token) => localStorage.setItem('posops.token', token), server.token);
  await w.page.goto(`${server.url}${path}`);
  return w;
}

function noErrors(w: WatchedPage): void {
  assert.deepEqual(w.errors, [], `browser console errors:\n${w.errors.join('\n')}`);
}

describe('dashboard (real server, Chromium)', { timeout: 180_000 }, () => {
  before(async () => {
    ensureWebBuilt();
    [server, browser] = await Promise.all([startDashboardServer({ terminals: 120, hours: 24 }), launchBrowser()]);
    // the dashboard re-reads the diagnosis after events: wait until it agrees with the engine
    await eventually(async () => {
      const o = await api<{ byStatus: Counts }>('/api/v1/dashboard/overview');
      const report = await api<{ terminals: { status: keyof Counts }[] }>('/api/v1/diagnosis');
      assert.ok(o.byStatus.faulty > 0, 'no faulty terminal yet');
      for (const s of STATUSES) if (s !== 'ok') assert.equal(o.byStatus[s], report.terminals.filter((t) => t.status === s).length, s);
    }, 20_000, 500);
  });

  after(async () => {
    for (const w of opened) await w.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('the login page takes the admin token and refuses a wrong one', async () => {
    const w = await openPage(browser, 1280, 'en');
    opened.push(w);
    await logInThroughPage(w, 'not-the-token');
    await w.page.getByTestId('login-error').waitFor();
    await shot(w.page, 'login-refused-en-1280');
    // the 401 of the refused token is the one console error a browser prints here
    assert.ok(w.errors.every((e) => e.includes('401')), w.errors.join('\n'));
    w.errors.length = 0;
    await logInThroughPage(w, server.token);
    await w.page.getByTestId('overview').waitFor();
    assert.equal(await w.page.evaluate(() => localStorage.getItem('posops.token')), server.token);
    noErrors(w);
  });

  test('a one-time password only leads to setting an own one, in the login page, then to the overview', async () => {
    await addUser(server.server.store, { actor: 'e2e', kind: 'system' }, { username: 'fresh.ops', role: 'ops', password: 'one-time-0123456789', mustChangePassword: true });
    const w = await openPage(browser, 1280, 'zh-CN');
    opened.push(w);
    await w.page.goto(`${server.url}/login`);
    await w.page.getByTestId('login-username').fill('fresh.ops');
    await w.page.getByTestId('login-password').fill('one-time-0123456789');
    await w.page.getByTestId('login-submit').click();
    await w.page.getByTestId('login-new-password').waitFor();
    await shot(w.page, 'login-set-password-zh-1280');
    await w.page.getByTestId('login-new-password').fill('my own password 42');
    await w.page.getByTestId('login-confirm-password').fill('my own password 42');
    await w.page.getByTestId('login-set-password').click();
    await w.page.getByTestId('overview').waitFor();
    noErrors(w);
    // the one-time password is gone; the new one works
    const login = (password: string) => fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'fresh.ops', password }) });
    assert.equal((await login('one-time-0123456789')).status, 401);
    const again = (await (await login('my own password 42')).json()) as { must_change_password: boolean };
    assert.equal(again.must_change_password, false);
  });

  test('overview figures match the API and the engine, and click through to the list', async () => {
    const w = await loggedIn(1280, 'zh-CN');
    const { page } = w;
    await page.getByTestId('overview').waitFor();
    // the engine's verdicts move with the clock (a silent terminal turns offline), so compare a settled moment
    let overview = await api<{ total: number; byStatus: Counts }>('/api/v1/dashboard/overview');
    await eventually(async () => {
      overview = await api<{ total: number; byStatus: Counts }>('/api/v1/dashboard/overview');
      const report = await api<{ terminals: { status: keyof Counts }[] }>('/api/v1/diagnosis');
      for (const s of STATUSES) {
        if (s !== 'ok') assert.equal(overview.byStatus[s], report.terminals.filter((t) => t.status === s).length, `overview ${s} against /api/v1/diagnosis`);
      }
    }, 20_000, 500);
    await eventually(async () => {
      for (const s of STATUSES) assert.equal(await figure(page, s), overview.byStatus[s], `figure ${s}`);
    }, 5000, 100);
    assert.equal(digits(await page.getByTestId('figure-total').locator('.ant-statistic-content').textContent()), overview.total);
    for (const id of ['chart-category', 'chart-cause', 'chart-history', 'chart-region', 'chart-model']) await page.getByTestId(id).locator('canvas').first().waitFor();
    await shot(page, 'overview-zh-1280');
    assert.ok(w.script.files > 1, 'the app is split into chunks');
    assert.ok(w.script.bytes > 0 && w.script.bytes < 1_000_000, `first load transferred ${w.script.bytes} bytes of JavaScript`);

    await page.getByTestId('figure-faulty').click();
    await page.waitForURL(/\/terminals\?status=faulty/);
    await eventually(async () => assert.equal(digits(await page.getByTestId('terminals-total').textContent()), overview.byStatus.faulty), 5000);
    await page.locator('.ant-table-row').first().waitFor();
    await shot(page, 'terminals-faulty-zh-1280');
    noErrors(w);
  });

  test('a faulty terminal shows its evidence and remedy, in Chinese and in English', async () => {
    const w = await loggedIn(1280, 'zh-CN', '/terminals?status=faulty');
    const { page } = w;
    const link = page.locator('.ant-table-row a').first();
    const id = (await link.textContent())!;
    await link.click();
    await page.getByTestId('terminal-id').waitFor();
    assert.equal(await page.getByTestId('terminal-id').textContent(), id);
    const profile = await api<{ diagnoses: { cause: string; evidence: string[]; evidence_zh?: string[] }[] }>(`/api/v1/terminals/${id}/profile`);
    const main = profile.diagnoses[0]!;
    const evidence = page.getByTestId('diagnosis-0').getByTestId('evidence').locator('li');
    assert.equal(await evidence.first().textContent(), (main.evidence_zh ?? main.evidence)[0]);
    assert.ok((await page.getByTestId('diagnosis-0').getByTestId('remedy').locator('li').count()) > 0, 'remedy steps shown');
    const series = await api<{ points: unknown[] }>(`/api/v1/terminals/${id}/series`);
    assert.ok(series.points.length > 0, 'the terminal has a recorded history');
    await page.locator('[data-testid^="chart-"] canvas').first().waitFor();
    await shot(page, 'terminal-zh-1280');

    await page.getByTestId('lang-switch').click();
    await page.getByText('Diagnoses', { exact: true }).waitFor();
    assert.equal(await evidence.first().textContent(), main.evidence[0]);
    assert.equal(await page.evaluate(() => localStorage.getItem('posops.locale')), 'en');
    await shot(page, 'terminal-en-1280');
    await page.reload();
    await page.getByText('Diagnoses', { exact: true }).waitFor();
    noErrors(w);
  });

  test('CSV export from the list page: the download holds the API\'s rows for the same filter', async () => {
    const w = await loggedIn(1280, 'en', '/terminals?status=faulty,offline,degraded&sort=terminal');
    const { page } = w;
    await page.locator('.ant-table-row').first().waitFor();
    // statuses move with the clock: the download and the API answer are compared at one settled moment
    await eventually(async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      assert.match(download.suggestedFilename(), /^terminals-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path())!, 'utf8');
      const [header, ...lines] = csv.trim().split('\n');
      assert.deepEqual(header!.split(',').slice(0, 3), ['terminal', 'status', 'cause']);
      const listed = await api<{ total: number; rows: Row[] }>('/api/v1/terminals?status=faulty,offline,degraded&sort=terminal&limit=500');
      assert.ok(listed.total > 0 && listed.total <= 500);
      assert.equal(lines.length, listed.total, 'one CSV row per terminal of the filter');
      const fromCsv = lines.map((l) => l.split(',').slice(0, 3).join(','));
      const fromApi = listed.rows.map((r) => [r.terminal, r.status, r.cause ?? ''].join(','));
      assert.deepEqual(fromCsv, fromApi);
    }, 15_000, 500);
    noErrors(w);
  });

  test('incidents: list and detail with timeline and what to tell merchants', async () => {
    const incidents = await api<{ incidents: { id: string; count: number }[] }>('/api/v1/dashboard/incidents');
    const w = await loggedIn(1280, 'en', '/incidents');
    const { page } = w;
    await page.getByTestId('incidents').waitFor();
    if (incidents.incidents.length === 0) {
      await page.getByText('No incidents').waitFor();
    } else {
      await page.locator('.ant-table-row').first().click();
      await page.getByTestId('incident-tell').waitFor();
      await page.locator('.ant-timeline-item').first().waitFor();
      await shot(page, 'incident-en-1280');
    }
    await page.goto(`${server.url}/incidents`);
    await page.getByTestId('incidents').waitFor();
    await shot(page, 'incidents-en-1280');
    noErrors(w);
  });

  for (const locale of ['zh-CN', 'en'] as const) {
    test(`tablet width 768 (${locale}): no sideways scrolling on overview, list, terminal`, async () => {
      const w = await loggedIn(768, locale);
      const { page } = w;
      const tag = locale === 'en' ? 'en' : 'zh';
      await page.getByTestId('chart-cause').locator('canvas').waitFor();
      assert.ok((await horizontalOverflow(page)) <= 0, 'overview scrolls sideways');
      await shot(page, `overview-${tag}-768`);
      await page.goto(`${server.url}/terminals`);
      await page.locator('.ant-table-row').first().waitFor();
      assert.ok((await horizontalOverflow(page)) <= 0, 'terminal list scrolls sideways');
      await shot(page, `terminals-${tag}-768`);
      await page.locator('.ant-table-row a').first().click();
      await page.getByTestId('terminal-id').waitFor();
      assert.ok((await horizontalOverflow(page)) <= 0, 'terminal page scrolls sideways');
      await shot(page, `terminal-${tag}-768`);
      noErrors(w);
    });
  }

  test('live: a tamper alarm shows up on the overview without reload', async () => {
    const w = await loggedIn(1280, 'en');
    const { page } = w;
    await page.getByTestId('overview').waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const before = await figure(page, 'locked');
    const ok = (await api<{ rows: { terminal: string }[] }>('/api/v1/terminals?status=ok&limit=1')).rows[0]!.terminal;
    const event = { v: 1, id: `e2e-tamper-${Date.now()}`, type: 'heartbeat', terminal: ok, ts: new Date().toISOString(), tamper: true };
    const res = await fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: JSON.stringify(event) });
    assert.equal(res.status, 200);
    await eventually(async () => assert.equal(await figure(page, 'locked'), before + 1), 10_000, 200);
    await shot(page, 'overview-live-en-1280');
    noErrors(w);
  });

  test('merchant login: only that merchant\'s terminals, plain cards in Chinese by default, nothing of others', async () => {
    const rows = await allRows();
    const byMerchant = new Map<string, Row[]>();
    for (const r of rows) if (r.merchant) byMerchant.set(r.merchant, [...(byMerchant.get(r.merchant) ?? []), r]);
    // the merchant with the most terminals in trouble (at least two terminals)
    const trouble = (rs: Row[]) => rs.filter((r) => r.status !== 'ok').length;
    const [merchant, own] = [...byMerchant.entries()].filter(([, rs]) => rs.length >= 2).sort((a, b) => trouble(b[1]) - trouble(a[1]) || b[1].length - a[1].length)[0]!;
    assert.ok(trouble(own) > 0, 'the chosen merchant has a terminal in trouble');
    const password = 'shop-owner-password';
    const token = await addPerson(server, { username: 'shop-owner', password, role: 'merchant', merchant });

    const w = await openPage(browser, 1280);
    opened.push(w);
    const { page } = w;
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('shop-owner');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/merchant$/);
    const cards = page.getByTestId('merchant-card');
    await eventually(async () => assert.equal(await cards.count(), own.length), 5000, 100);
    const shown = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-terminal')));
    assert.deepEqual([...shown].sort(), own.map((r) => r.terminal).sort(), 'exactly the merchant\'s terminals of the registry');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    const now = new Map((await api<{ rows: Row[] }>(`/api/v1/terminals?limit=500&merchant=${merchant}`)).rows.map((r) => [r.terminal, r]));
    for (const id of shown) {
      const card = page.locator(`[data-testid="merchant-card"][data-terminal="${id}"]`);
      const row = now.get(id!)!;
      const text = (await card.innerText()).replace(/\s+/g, ' ');
      assert.doesNotMatch(text, /\b[a-z]+\.[a-z_]+\b|\d\.\d|%|confidence|fallback|rssi|dBm/i, `jargon on the card of ${id}: ${text}`);
      if (row.status === 'ok' || !row.cause) {
        await card.getByText('工作正常').waitFor();
        continue;
      }
      const zh = MERCHANT_ZH[row.cause];
      assert.ok(zh, `a merchant text for ${row.cause}`);
      assert.equal(await card.getByTestId('merchant-problem').textContent(), zh.problem);
      assert.deepEqual(await card.getByTestId('merchant-steps').locator('li').allTextContents(), zh.steps);
    }
    await shot(page, 'merchant-zh-1280');

    // another merchant's terminal, asked for by API and by URL: as if it did not exist
    const other = rows.find((r) => r.merchant !== merchant)!.terminal;
    for (const path of [`/api/v1/terminals/${other}/profile`, `/api/v1/terminals/${other}/series`, `/api/v1/terminals/${other}`]) {
      assert.equal(await statusOf(path, token), 404, path);
    }
    for (const path of ['/api/v1/dashboard/overview', '/api/v1/dashboard/incidents']) assert.equal(await statusOf(path, token), 403, path);
    const list = await api<{ total: number; rows: Row[] }>(`/api/v1/terminals?limit=500&merchant=${rows.find((r) => r.merchant !== merchant)!.merchant}`, token);
    assert.deepEqual(list.rows.map((r) => r.terminal).sort(), own.map((r) => r.terminal).sort(), 'the merchant filter cannot widen the list');
    await page.goto(`${server.url}/terminals/${other}`);
    await page.locator('.ant-alert-error').waitFor();
    assert.equal(await page.getByTestId('terminal-id').count(), 0, 'nothing of the other terminal is shown');
    assert.ok(w.errors.every((e) => e.includes('404')), w.errors.join('\n'));
    w.errors.length = 0;

    await page.goto(`${server.url}/merchant`);
    await cards.first().waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByText('What to do now').first().waitFor();
    const firstTrouble = own.find((r) => r.status !== 'ok' && r.cause)!;
    const enCard = page.locator(`[data-testid="merchant-card"][data-terminal="${firstTrouble.terminal}"]`);
    assert.equal(await enCard.getByTestId('merchant-problem').textContent(), MERCHANT_EN[now.get(firstTrouble.terminal)!.cause!]!.problem);
    await shot(page, 'merchant-en-1280');
    noErrors(w);

    for (const locale of ['zh-CN', 'en'] as const) {
      const t = await openPage(browser, 768, locale);
      opened.push(t);
      await t.context.addInitScript((tok) => localStorage.setItem('posops.token', tok), token);
      await t.page.goto(`${server.url}/`);
      await t.page.waitForURL(/\/merchant$/);
      await eventually(async () => assert.equal(await t.page.getByTestId('merchant-card').count(), own.length), 5000, 100);
      assert.ok((await horizontalOverflow(t.page)) <= 0, 'the merchant page scrolls sideways');
      await shot(t.page, `merchant-${locale === 'en' ? 'en' : 'zh'}-768`);
      noErrors(t);
    }
  });

  test('an ops user of an agent sees the counts of its agent\'s subtree only', async () => {
    const rows = await allRows();
    const ids = rows.map((r) => r.terminal).sort();
    const mine = new Set(ids.slice(0, 50));
    await assignTenants(server, [{ tenant: 'acquirer' }, { tenant: 'agent-a', parent: 'acquirer' }, { tenant: 'sub-a', parent: 'agent-a' }, { tenant: 'agent-b', parent: 'acquirer' }], [
      ...ids.slice(0, 30).map((terminal) => ({ terminal, tenant: 'agent-a' })),
      ...ids.slice(30, 50).map((terminal) => ({ terminal, tenant: 'sub-a' })),
      ...ids.slice(50, 90).map((terminal) => ({ terminal, tenant: 'agent-b' })),
    ]);
    const token = await addPerson(server, { username: 'ops-agent-a', password: 'ops-agent-a-password', role: 'ops', tenant: 'agent-a' });
    type Overview = { total: number; byStatus: Counts; byCause: { cause: string; count: number }[]; byRegion: { name: string; total: number }[]; contracts: { items: { terminal: string }[] } };
    await eventually(async () => {
      const [o, all] = await Promise.all([api<Overview>('/api/v1/dashboard/overview', token), allRows()]);
      const part = all.filter((r) => mine.has(r.terminal));
      assert.equal(o.total, 50);
      for (const s of STATUSES) assert.equal(o.byStatus[s], part.filter((r) => r.status === s).length, s);
      for (const c of o.byCause) assert.equal(c.count, part.filter((r) => r.cause === c.cause).length, c.cause);
      for (const r of o.byRegion) assert.equal(r.total, part.filter((x) => x.region === r.name && x.status !== 'ok').length, r.name);
      assert.ok(o.contracts.items.every((c) => mine.has(c.terminal)), 'contracts of the subtree only');
      const f = await api<{ regions: string[]; models: string[] }>('/api/v1/dashboard/facets', token);
      assert.deepEqual(f.regions, [...new Set(part.map((r) => r.region!))].sort());
      assert.deepEqual(f.models, [...new Set(part.map((r) => r.model!))].sort());
    }, 10_000, 300);
    assert.equal((await api<{ total: number }>('/api/v1/dashboard/overview')).total, rows.length, 'the unbound admin still sees the whole fleet');
  });

  test('after a restart the terminal charts still show the last 48 hours', async () => {
    const id = (await allRows()).find((r) => r.status === 'faulty')!.terminal;
    const before = await api<{ points: { t: number }[]; events: unknown[] }>(`/api/v1/terminals/${id}/series`);
    assert.ok(before.points.length > 3, 'a recorded history before the restart');
    await server.restart();
    await eventually(async () => {
      const after = await api<{ points: { t: number }[]; events: unknown[] }>(`/api/v1/terminals/${id}/series`);
      assert.deepEqual(after.points.map((p) => p.t), before.points.map((p) => p.t));
      assert.equal(after.events.length, before.events.length);
    }, 15_000, 300);
  });
});
