/**
 * Dashboard: the client bundle's gzip size (dist/assets/*.js and *.css, as built by Vite) and
 * the time from navigation to the first chart drawn, in headless Chromium against the real
 * server over the sample warehouse (median of 5 cold loads per view; target < 1.5 s).
 * Writes bench/results/client.json.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startServer } from '../server/start.ts';
import { createAuthStore, tokenHash } from '../test/browser/auth-fixture.ts';
import { CHROMIUM_ARGS } from '../test/browser/harness.ts';
import { buildWarehouse } from '../test/browser/warehouse.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOADS = 5;
const TARGET_MS = 1500;
const TOKEN = 'bench-planner-token-000000000001';
const VIEWS = ['#/overview', '#/demand', '#/compare'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const tmp = await mkdtemp(path.join(os.tmpdir(), 'lhcre-client-bench-'));
try {
  const outDir = path.join(tmp, 'dist');
  await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });

  const assets = readdirSync(path.join(outDir, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const bytes = readFileSync(path.join(outDir, 'assets', f));
      return { file: f, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  // What the page loads before any chart: the entry script and CSS named in index.html.
  const initial = assets.filter((a) => html.includes(a.file));
  const sum = (xs: { gzip: number }[]) => xs.reduce((s, x) => s + x.gzip, 0);

  const warehouseDir = path.join(tmp, 'warehouse');
  const warehouseKind = await buildWarehouse(warehouseDir);
  const server = await startServer({
    warehouseDir,
    auth: createAuthStore({ users: [{ name: 'bench', role: 'planner', tokenHash: tokenHash(TOKEN) }] }),
    port: 0,
    staticDir: outDir,
    stateDir: path.join(tmp, 'state'),
    logger: pino({ level: 'silent' }),
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const firstChart: Record<string, number[]> = {};
  // Main-thread busy time up to the first chart (Chrome's TaskDuration): the client's own cost,
  // which contention on a shared machine inflates less than wall-clock time.
  const mainThread: Record<string, number[]> = {};
  const loadBefore = os.loadavg()[0]!;
  try {
    for (const view of VIEWS) {
      firstChart[view] = [];
      mainThread[view] = [];
      for (let i = 0; i < LOADS; i++) {
        // A fresh context each time: cold HTTP cache, the token already in session storage.
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript((token) => {
          sessionStorage.setItem('lhcre-planner.token', token);
          new MutationObserver((_, obs) => {
            if (document.querySelector('[data-status="drawn"] svg')) {
              (window as unknown as { __firstChart: number }).__firstChart = performance.now();
              obs.disconnect();
            }
          }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
        }, TOKEN);
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        await page.goto(`${server.url}/${view}`);
        await page.waitForFunction(() => (window as unknown as { __firstChart?: number }).__firstChart !== undefined, undefined, { timeout: 30_000 });
        firstChart[view].push(await page.evaluate(() => (window as unknown as { __firstChart: number }).__firstChart));
        const metrics = (await cdp.send('Performance.getMetrics')).metrics;
        mainThread[view].push((metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const results = {
    bundle: {
      assets,
      initialGzipBytes: sum(initial),
      totalGzipBytes: sum(assets),
      jsGzipBytes: sum(assets.filter((a) => a.file.endsWith('.js'))),
      cssGzipBytes: sum(assets.filter((a) => a.file.endsWith('.css'))),
    },
    firstChartMs: Object.fromEntries(Object.entries(firstChart).map(([v, xs]) => [v, { median: Math.round(median(xs)), loads: xs.map(Math.round) }])),
    mainThreadMsAtFirstChart: Object.fromEntries(Object.entries(mainThread).map(([v, xs]) => [v, Math.round(median(xs))])),
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0]!.toFixed(2)), cores: os.cpus().length },
    targetMs: TARGET_MS,
    warehouse: warehouseKind,
    loads: LOADS,
    note: 'first chart = navigation start to the first chart with data-status="drawn" (SVG in the DOM); vega-embed is a lazy chunk',
  };

  console.log('\nClient bundle (gzip, level 9)');
  for (const a of assets) console.log(`  ${a.file.padEnd(34)} ${(a.bytes / 1024).toFixed(1).padStart(8)} kB  gzip ${(a.gzip / 1024).toFixed(1).padStart(7)} kB${initial.includes(a) ? '  (initial)' : ''}`);
  console.log(`  ${'initial (before any chart)'.padEnd(34)} ${''.padStart(11)}  gzip ${(results.bundle.initialGzipBytes / 1024).toFixed(1).padStart(7)} kB`);
  console.log(`  ${'total'.padEnd(34)} ${''.padStart(11)}  gzip ${(results.bundle.totalGzipBytes / 1024).toFixed(1).padStart(7)} kB`);
  console.log(`\nNavigation to first chart drawn (headless Chromium, 1280 px, ${warehouseKind} warehouse, median of ${LOADS})`);
  for (const [v, r] of Object.entries(results.firstChartMs)) {
    console.log(`  ${v.padEnd(12)} ${String(r.median).padStart(6)} ms  ${r.median < TARGET_MS ? 'meets' : 'MISSES'} the ${TARGET_MS} ms target  (loads: ${r.loads.join(', ')}; main thread ${results.mainThreadMsAtFirstChart[v]} ms)`);
  }
  console.log(`  machine load average ${results.loadAverage.before} before, ${results.loadAverage.after} after, on ${results.loadAverage.cores} cores`);
  mkdirSync(path.join(REPO_ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(REPO_ROOT, 'bench/results/client.json'), JSON.stringify(results, null, 2) + '\n');
} finally {
  await rm(tmp, { recursive: true, force: true });
}
