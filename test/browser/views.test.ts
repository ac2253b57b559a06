import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { drawnMarks, openSignedIn, screenshot, startHarness, type Harness, type TestRole } from './harness.ts';

/**
 * Every view, served by the real server over the pipeline's sample warehouse, in headless
 * Chromium at a desktop and a phone width: charts draw data marks, nothing overflows sideways,
 * the console stays clean. Screenshots go to test-output/screenshots/.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.close();
});

async function noSidewaysScroll(page: Page): Promise<{ scroll: number; view: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
}

interface Case {
  role: TestRole;
  hash: string;
  name: string;
  /** Chart id and the fewest data marks it must draw. */
  charts: [string, number][];
}

const CASES: Case[] = [
  { role: 'planner', hash: '#/overview', name: 'overview', charts: [['overview-map', 14], ['overview-trends', 30]] },
  { role: 'planner', hash: '#/demand', name: 'demand', charts: [['demand-forecast', 60], ['demand-beds', 48], ['demand-age', 19], ['demand-imd', 10]] },
  { role: 'commissioner', hash: '#/compare', name: 'compare', charts: [['compare-areas', 19], ['compare-funnel', 14], ['compare-deprivation', 10], ['compare-trends', 5]] },
];

describe.each([1280, 390])('views at %i px', (width) => {
  for (const c of CASES) {
    it(`${c.name}: every chart draws its data marks`, async () => {
      const { page, errors } = await openSignedIn(h, c.role, c.hash, width);
      for (const [id, fewest] of c.charts) {
        const marks = await drawnMarks(page, id);
        expect(marks, `${id} data marks`).toBeGreaterThanOrEqual(fewest);
        // A chart drawn wider than its box gets shrunk by the browser: small text, empty bands.
        const fit = await page.evaluate((chart) => {
          const host = document.querySelector(`[data-chart="${chart}"] .chart-host`)!;
          return { svg: Number(host.querySelector('svg')!.getAttribute('width')), host: host.clientWidth };
        }, id);
        expect(fit.svg, `${id} drawn ${fit.svg} px wide in a ${fit.host} px box`).toBeLessThanOrEqual(fit.host + 1);
      }
      const { scroll, view } = await noSidewaysScroll(page);
      expect(scroll, 'page wider than the window').toBeLessThanOrEqual(view);
      await screenshot(page, `${c.name}-${width}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('research export: builds a disclosure-controlled table and previews it', async () => {
    const { page, errors } = await openSignedIn(h, 'researcher', '#/research?by=region,sex', width);
    await expect(page.getByRole('link', { name: 'Demand and forecast' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Build the table' }).click();
    await page.locator('table.preview tbody tr').first().waitFor();
    const rows = await page.locator('table.preview tbody tr').count();
    // 5 regions x (2 sexes + total) + the all-regions margin.
    expect(rows).toBeGreaterThanOrEqual(15);
    const counts = await page.locator('table.preview tbody td:nth-child(3)').allInnerTexts();
    for (const v of counts) expect(v === 'suppressed' || Number(v) % 5 === 0, `count ${v}`).toBe(true);
    expect(page.url()).toMatch(/export=[A-Za-z0-9-]+/);
    const { scroll, view } = await noSidewaysScroll(page);
    expect(scroll).toBeLessThanOrEqual(view);
    await screenshot(page, `research-${width}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('data and pipeline: manifest counts, opt-out share and the audit log for admin', async () => {
    const { page, errors } = await openSignedIn(h, 'admin', '#/data', width);
    await page.getByRole('heading', { name: 'Records read, loaded and rejected' }).waitFor();
    await expect(page.getByText(/of patients are not on the research allow-list/).count()).resolves.toBe(1);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByText(/Hash chain: intact|No entries yet/).first().waitFor();
    const { scroll, view } = await noSidewaysScroll(page);
    expect(scroll).toBeLessThanOrEqual(view);
    await screenshot(page, `data-${width}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
