import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { startServer, type RunningServer } from '../../server/start.ts';
import { createAuthStore, tokenHash } from './auth-fixture.ts';
import { buildWarehouse } from './warehouse.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(REPO_ROOT, 'test-output/screenshots');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Fixed test tokens (only their hashes go into the in-memory auth store). */
export const TOKENS = {
  planner: 'planner-token-for-browser-tests-0001',
  commissioner: 'commissioner-token-for-browser-tests-0001',
  researcher: 'researcher-token-for-browser-tests-0001',
  admin: 'admin-token-for-browser-tests-0001',
} as const;
export type TestRole = keyof typeof TOKENS;

export interface Harness {
  server: RunningServer;
  browser: Browser;
  url: string;
  warehouseKind: 'sample' | 'fixture';
  close(): Promise<void>;
}

/** Builds the client into its own folder (two test files may build at once), serves it with a warehouse. */
export async function startHarness(opts: { outDir?: string } = {}): Promise<Harness> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'lhcre-browser-'));
  const outDir = opts.outDir ?? path.join(tmp, 'dist');
  await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const warehouseDir = path.join(tmp, 'warehouse');
  const warehouseKind = await buildWarehouse(warehouseDir);
  await mkdir(path.join(tmp, 'state'), { recursive: true });
  const auth = createAuthStore({
    users: (Object.keys(TOKENS) as TestRole[]).map((role) => ({ name: `${role}-tester`, role, tokenHash: tokenHash(TOKENS[role]) })),
  });
  const server = await startServer({
    warehouseDir,
    auth,
    port: 0,
    staticDir: outDir,
    stateDir: path.join(tmp, 'state'),
    logger: pino({ level: 'silent' }),
    threads: 1,
  });
  if (!existsSync('/usr/bin/chromium')) throw new Error('Chromium missing: apt-get install -y chromium');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    server,
    browser,
    url: server.url,
    warehouseKind,
    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/** A fresh context (own session storage) at a viewport width, signed in with the role's token. */
export async function openSignedIn(h: Harness, role: TestRole, hash = '', width = 1280): Promise<OpenedPage> {
  const context = await h.browser.newContext({ viewport: { width, height: 900 }, timezoneId: 'Europe/London', locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${h.url}/${hash}`);
  await page.getByLabel('Access token').fill(TOKENS[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('h1.view-title').waitFor();
  return { page, errors };
}

/** Waits until a chart has drawn, and returns how many data marks it holds. */
export async function drawnMarks(page: Page, chartId: string, timeout = 20_000): Promise<number> {
  await page.waitForSelector(`[data-chart="${chartId}"][data-status="drawn"]`, { timeout });
  return markCount(page, chartId);
}

/** Data marks: paths, symbols, rects and lines inside Vega's mark groups (axes and legends excluded). */
export async function markCount(page: Page, chartId: string): Promise<number> {
  return page.locator(`[data-chart="${chartId}"] .chart-view svg g.mark-symbol path, [data-chart="${chartId}"] .chart-view svg g.mark-line path, [data-chart="${chartId}"] .chart-view svg g.mark-area path, [data-chart="${chartId}"] .chart-view svg g.mark-rect path, [data-chart="${chartId}"] .chart-view svg g.mark-shape path, [data-chart="${chartId}"] .chart-view svg g.mark-rule line`).evaluateAll((els) => els.filter((e) => !e.closest('.role-legend, .role-axis')).length);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
