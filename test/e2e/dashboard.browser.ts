// Browser side of the dashboard end-to-end test: Debian's Chromium through playwright-core, console errors
// collected, screenshots saved under test-results/screenshots, the built web app kept fresh.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOTS = 'test-results/screenshots';
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds web/dist unless it is newer than every source file of the web app. */
export function ensureWebBuilt(): void {
  const index = 'web/dist/index.html';
  const sources = Math.max(newest('web/src'), statSync('web/index.html').mtimeMs, statSync('web/vite.config.ts').mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const r = spawnSync('npm', ['run', 'build:web'], { stdio: 'pipe', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build:web failed:\n${r.stdout}\n${r.stderr}`);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium"`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Compressed bytes of JavaScript transferred so far. */
  script: { bytes: number; files: number };
}

/** A fresh browser page; with `locale` the dashboard starts in it, without one it starts in its default (the browser says en-US). */
export async function openPage(browser: Browser, width: number, locale?: 'zh-CN' | 'en'): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: locale ?? 'en-US', acceptDownloads: true });
  if (locale) {
    await context.addInitScript((l) => {
      if (!localStorage.getItem('posops.locale')) localStorage.setItem('posops.locale', l);
    }, locale);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  const script = { bytes: 0, files: 0 };
  page.on('requestfinished', (r) => {
    if (r.resourceType() !== 'script') return;
    script.files++;
    void r.sizes().then((s) => (script.bytes += s.responseBodySize)).catch(() => undefined);
  });
  return { context, page, errors, script };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Fails when the page scrolls sideways (tablet use at 768 px). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
