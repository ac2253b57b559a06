import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { TOKENS, drawnMarks, openSignedIn, screenshot, startHarness, type Harness } from './harness.ts';

/**
 * What people do with the dashboard: change a filter, change the scenario, share a link, hit a
 * server error, sign in and out, use the keyboard. The hidden table view of each chart is the
 * data the chart drew, so it is what the assertions read.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.close();
});

/** The rows of a chart's table view (present, visually hidden, for screen readers). */
async function tableRows(page: Page, chartId: string): Promise<string[]> {
  return page.locator(`[data-chart="${chartId}"] table tbody tr`).allTextContents();
}

/** Waits for a chart to finish a redraw that a control change started. */
async function redrawn(page: Page, chartId: string, before: string[]): Promise<string[]> {
  await page.waitForFunction(
    ([id, old]) => {
      const el = document.querySelector(`[data-chart="${id}"]`);
      if (el?.getAttribute('data-status') !== 'drawn') return false;
      const now = [...el.querySelectorAll('table tbody tr')].map((r) => r.textContent).join('\n');
      return now !== old;
    },
    [chartId, before.join('\n')] as const,
    { timeout: 20_000 },
  );
  return tableRows(page, chartId);
}

function scenarioTotal(rows: string[]): number {
  // Forecast table rows: month, series, value, ...; sum the planning scenario's values.
  return rows
    .filter((r) => r.includes('Planning scenario'))
    .map((r) => Number(/Planning scenario([\d,]+)/.exec(r)?.[1]?.replace(/,/g, '') ?? 'NaN'))
    .reduce((a, b) => a + b, 0);
}

describe('interactions', () => {
  it('a filter change changes the data shown, and the URL records it', async () => {
    const { page, errors } = await openSignedIn(h, 'commissioner', '#/compare');
    await drawnMarks(page, 'compare-areas');
    const before = await tableRows(page, 'compare-areas');
    await page.locator('#compare-service').selectOption('ae_attendance');
    const after = await redrawn(page, 'compare-areas', before);
    expect(after).not.toEqual(before);
    expect(after).toHaveLength(19);
    expect(page.url()).toContain('service=ae_attendance');
    await page.locator('#compare-rate-crude').check();
    await redrawn(page, 'compare-areas', after);
    expect(page.url()).toContain('rate=crude');
    await screenshot(page, 'interaction-compare-filter');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a scenario change moves the forecast', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/demand?level=region&area=one-london&service=emergency_admission');
    await drawnMarks(page, 'demand-forecast');
    const before = await tableRows(page, 'demand-forecast');
    const base = scenarioTotal(before);
    expect(base).toBeGreaterThan(0);
    await page.getByLabel('Non-demographic growth (% a year)').fill('5');
    await page.getByRole('button', { name: 'Add a scheme' }).click();
    await page.getByLabel('Avoided (%)').fill('10');
    await page.getByRole('button', { name: 'Apply assumptions' }).click();
    const after = await redrawn(page, 'demand-forecast', before);
    const moved = scenarioTotal(after);
    expect(moved).not.toBe(base);
    expect(page.url()).toContain('nonDemGrowth=5');
    expect(decodeURIComponent(page.url())).toMatch(/scheme=emergency_admission:10:\d{4}-\d{2}:12/);
    await screenshot(page, 'interaction-demand-scenario');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a shared link reproduces the view', async () => {
    const first = await openSignedIn(h, 'planner', '#/demand');
    await drawnMarks(first.page, 'demand-forecast');
    await first.page.locator('#demand-level-stp').check();
    await first.page.waitForFunction(() => location.hash.includes('level=stp'));
    await first.page.locator('#demand-area').selectOption('E54000042');
    await first.page.locator('#demand-service').selectOption('elective_admission');
    await first.page.locator('#demand-horizon').selectOption('36');
    await first.page.waitForFunction(() => location.hash.includes('horizon=36'));
    await drawnMarks(first.page, 'demand-forecast');
    await first.page.getByLabel('Population growth (% a year)').fill('1.2');
    await first.page.getByLabel('Non-demographic growth (% a year)').fill('2');
    await first.page.getByLabel('Target bed occupancy (%)').fill('88');
    await first.page.getByRole('button', { name: 'Add a scheme' }).click();
    await first.page.getByLabel('Avoided (%)').fill('15');
    await first.page.getByRole('button', { name: 'Apply assumptions' }).click();
    await first.page.waitForFunction(() => location.hash.includes('nonDemGrowth=2') && location.hash.includes('scheme='));
    const link = first.page.url();
    await drawnMarks(first.page, 'demand-forecast');
    await first.page.waitForFunction(() => document.querySelector('[data-chart="demand-forecast"] table tbody tr') !== null);
    const shown = await tableRows(first.page, 'demand-forecast');
    await first.page.context().close();

    const second = await openSignedIn(h, 'planner', link.slice(link.indexOf('#')));
    await drawnMarks(second.page, 'demand-forecast');
    expect(second.page.url()).toBe(link);
    await expect(second.page.locator('#demand-area').inputValue()).resolves.toBe('E54000042');
    await expect(second.page.locator('#demand-service').inputValue()).resolves.toBe('elective_admission');
    await expect(second.page.locator('#demand-horizon').inputValue()).resolves.toBe('36');
    await expect(second.page.locator('#pop-growth').inputValue()).resolves.toBe('1.2');
    await expect(second.page.locator('#nondem-growth').inputValue()).resolves.toBe('2');
    await expect(second.page.locator('#occupancy').inputValue()).resolves.toBe('88');
    await expect(second.page.locator('#scheme-0-percent').inputValue()).resolves.toBe('15');
    expect(await tableRows(second.page, 'demand-forecast')).toEqual(shown);
    await screenshot(second.page, 'interaction-shared-link');
    expect([...first.errors, ...second.errors]).toEqual([]);
    await second.page.context().close();
  });

  it("an API error shows the error state with the server's message", async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/overview');
    await page.route('**/api/compare?**', (route) =>
      route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, errorId: 'test-err-1' }) }),
    );
    await page.route('**/api/demand?**', (route) =>
      route.fulfill({ status: 400, contentType: 'application/problem+json', body: JSON.stringify({ title: 'Bad Request', status: 400, detail: 'from must be within the data period 2019-07 to 2024-06', param: 'from' }) }),
    );
    await page.locator('#overview-service').selectOption('gp_appointment');
    const mapError = page.locator('[data-chart="overview-map"] [role="alert"]');
    await mapError.waitFor();
    await expect(mapError.innerText()).resolves.toContain('error reference test-err-1');
    await page.getByText('from must be within the data period 2019-07 to 2024-06').first().waitFor();
    await screenshot(page, 'interaction-api-error');
    // The browser logs the failed responses themselves; nothing else may be logged.
    expect(errors.filter((e) => !/status of (400|500)/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('signs in with a password field, rejects a bad token, and signs out', async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${h.url}/#/overview`);
    await expect(page.getByLabel('Access token').getAttribute('type')).resolves.toBe('password');
    await page.getByLabel('Access token').fill('not-a-real-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That access token was not recognised').first().waitFor();
    await screenshot(page, 'interaction-sign-in-refused');
    await page.getByLabel('Access token').fill(TOKENS.planner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('h1.view-title').waitFor();
    expect(page.url()).not.toContain(TOKENS.planner);
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    // The browser logs the refused request itself (401); nothing else may be logged.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await context.close();
  });

  it('is keyboard navigable: skip link, then the view links', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/overview');
    // A fresh load of a signed-in tab (the token is in session storage), keyboard from the top.
    await page.reload();
    await page.locator('h1.view-title').waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to main content');
    let label = '';
    for (let i = 0; i < 6 && label !== 'Compare areas'; i++) {
      await page.keyboard.press('Tab');
      label = (await page.evaluate(() => document.activeElement?.textContent)) ?? '';
    }
    expect(label).toBe('Compare areas');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash.startsWith('#/compare'));
    await drawnMarks(page, 'compare-areas');
    await screenshot(page, 'interaction-keyboard');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("draws charts under a CSP without 'unsafe-eval' (Vega runs its expression interpreter)", async () => {
    const context = await h.browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    const strict = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'";
    await page.route(`${h.url}/`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': strict } });
    });
    await page.goto(`${h.url}/#/compare`);
    await page.getByLabel('Access token').fill(TOKENS.commissioner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await drawnMarks(page, 'compare-areas')).toBeGreaterThanOrEqual(19);
    expect(await drawnMarks(page, 'compare-trends')).toBeGreaterThanOrEqual(5);
    await screenshot(page, 'interaction-strict-csp');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('offers each role only the views it may use, and refuses the others by URL', async () => {
    const nav = async (page: Page) => (await page.locator('nav a').allTextContents()).map((t) => t.trim()).filter(Boolean);
    const planner = await openSignedIn(h, 'planner', '#/overview');
    const plannerNav = await nav(planner.page);
    expect(plannerNav).toEqual(expect.arrayContaining(['Overview', 'Demand and forecast', 'Compare areas']));
    expect(plannerNav).not.toContain('Research export');
    await planner.page.context().close();

    const researcher = await openSignedIn(h, 'researcher', '#/demand?level=region&area=wessex&service=emergency_admission');
    const researcherNav = await nav(researcher.page);
    expect(researcherNav).toContain('Research export');
    for (const v of ['Overview', 'Demand and forecast', 'Compare areas']) expect(researcherNav).not.toContain(v);
    // A link to a view the role may not use draws none of its charts.
    await expect(researcher.page.locator('[data-chart="demand-forecast"]').count()).resolves.toBe(0);
    await screenshot(researcher.page, 'interaction-researcher-views');
    expect(researcher.errors).toEqual([]);
    await researcher.page.context().close();
  });

  it('a chart shows a tooltip on hover and downloads the data it drew as CSV', async () => {
    const { page, errors } = await openSignedIn(h, 'commissioner', '#/compare');
    await drawnMarks(page, 'compare-areas');
    const point = page.locator('[data-chart="compare-areas"] .chart-view svg g.mark-symbol path').first();
    await point.hover({ force: true });
    const tooltip = page.locator('#vg-tooltip-element');
    await tooltip.waitFor({ state: 'visible' });
    await expect(tooltip.innerText()).resolves.toMatch(/\d/);
    await screenshot(page, 'interaction-tooltip');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-chart="compare-areas"]').getByRole('button', { name: 'Download data (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    const lines = csv.split('\n').filter((l) => l && !l.startsWith('#'));
    // A header and one row per area drawn (5 regions + 14 STPs).
    expect(lines).toHaveLength(1 + 19);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
