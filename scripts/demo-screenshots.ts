/**
 * Screenshots of a running dashboard (e.g. `npm start`) as a planner sees it, for looking at:
 * `tsx scripts/demo-screenshots.ts URL TOKEN [OUTDIR]` writes overview.png, demand-stp.png and
 * compare.png at 1280 px (Chromium from Debian, headless).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [url, token, out = 'test-output/demo-screenshots'] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: tsx scripts/demo-screenshots.ts URL TOKEN [OUTDIR]');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('h1.view-title').waitFor();
  const views: [string, string][] = [
    ['overview', '#/overview'],
    ['demand-stp', '#/demand?level=stp&area=E54000007&service=emergency_admission'],
    ['compare', '#/compare?service=emergency_admission'],
  ];
  for (const [name, hash] of views) {
    await page.goto(`${url}/${hash}`);
    await page.locator('h1.view-title').waitFor();
    // every chart drawn (or failed), then a moment for the last layout
    await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => ['drawn', 'error', 'empty'].includes(c.getAttribute('data-status') ?? '')), undefined, { timeout: 60_000 }).catch(() => {});
    await page.waitForTimeout(1500);
    const file = path.join(out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
} finally {
  await browser.close();
}
