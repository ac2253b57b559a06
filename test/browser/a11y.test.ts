import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { REPO_ROOT, TOKENS, drawnMarks, openSignedIn, screenshot, startHarness, type Harness, type TestRole } from './harness.ts';

/**
 * Accessibility, themes and print, in headless Chromium against the real server:
 * - axe-core (injected into each page) finds no violation on any view, for every role that sees
 *   it, at 1280 and 390 px, with the view's content loaded (charts drawn, the research preview
 *   built, the audit log read); screenshots of each in test-output/screenshots/a11y-*.png;
 * - the dark theme (prefers-color-scheme: dark): dark page, and every data colour drawn in the
 *   charts keeps 3:1 against the chart background, read from the SVG;
 * - print media: no navigation, forms or buttons; the charts print;
 * - the copy-link button puts the view's URL on the clipboard.
 */
let h: Harness;
const AXE = readFileSync(path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.close();
});

interface AxeViolation {
  id: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page (evaluated, so the app's CSP does not have to allow it). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Waits until the view's content is in: its charts drawn, or its tables and panels. */
async function ready(page: Page, view: string, role: TestRole): Promise<void> {
  const charts: Record<string, string[]> = {
    overview: ['overview-map', 'overview-trends'],
    demand: ['demand-forecast', 'demand-beds', 'demand-age', 'demand-imd'],
    compare: ['compare-areas', 'compare-funnel', 'compare-deprivation', 'compare-trends'],
  };
  for (const id of charts[view] ?? []) await drawnMarks(page, id);
  if (view === 'demand') await page.locator('.backtest').waitFor();
  if (view === 'research') {
    await page.getByRole('button', { name: 'Build the table' }).click();
    await page.locator('table.preview tbody tr').first().waitFor();
    await page.locator('details.metadata > summary').click();
    await page.getByRole('heading', { name: 'Columns' }).waitFor();
  }
  if (view === 'data') {
    await page.getByRole('heading', { name: 'Records read, loaded and rejected' }).waitFor();
    if (role === 'admin') await page.locator('table.audit tbody tr').first().waitFor();
  }
}

const CASES: [TestRole, string][] = [
  ['planner', 'overview'],
  ['planner', 'demand'],
  ['planner', 'compare'],
  ['planner', 'data'],
  ['commissioner', 'compare'],
  ['researcher', 'research'],
  ['researcher', 'data'],
  ['admin', 'overview'],
  ['admin', 'demand'],
  ['admin', 'compare'],
  ['admin', 'research'],
  ['admin', 'data'],
];

describe.each([1280, 390])('axe-core at %i px', (width) => {
  for (const [role, view] of CASES) {
    it(`${view} as ${role}: no violations, nothing wider than the window`, async () => {
      const { page, errors } = await openSignedIn(h, role, `#/${view}`, width);
      await ready(page, view, role);
      expect(await axeViolations(page)).toEqual([]);
      const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(scroll, 'page wider than the window').toBeLessThanOrEqual(inner);
      await screenshot(page, `a11y-${view}-${role}-${width}`);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

/** WCAG 2.2 contrast of two CSS colours (rgb()/hex), computed in Node. */
function parseColour(c: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(c);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) as [number, number, number];
  const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(c);
  if (!m) throw new Error(`not a colour: ${c}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = parseColour(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function openDark(view: string, role: TestRole, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const context = await h.browser.newContext({ viewport: { width, height: 900 }, colorScheme: 'dark', timezoneId: 'Europe/London', locale: 'en-GB' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${h.url}/#/${view}`);
  await page.getByLabel('Access token').fill(TOKENS[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('h1.view-title').waitFor();
  return { page, errors };
}

/** Every stroke and fill of a chart's data marks (legends, axes and the COVID shading left out), and its background. */
async function chartColours(page: Page, id: string): Promise<{ background: string; colours: string[] }> {
  return page.evaluate((chart) => {
    const svg = document.querySelector(`[data-chart="${chart}"] .chart-view svg`)!;
    // vega-embed paints the configured background on the <svg> itself.
    const background = getComputedStyle(svg).backgroundColor;
    const colours = new Set<string>();
    for (const el of svg.querySelectorAll('g.mark-line path, g.mark-symbol path, g.mark-rule line, g.mark-rect path, g.mark-area path, g.mark-shape path')) {
      if (el.closest('.role-legend, .role-axis')) continue;
      const style = getComputedStyle(el);
      // Faint fills (interval bands, shading) are context, not data: their edges and lines carry it.
      // Invisible marks (opacity 0: hover targets for tooltips) carry nothing either.
      const opacity = Number(style.opacity);
      for (const [c, o] of [[style.stroke, Number(style.strokeOpacity) * opacity], [style.fill, Number(style.fillOpacity) * opacity]] as const) {
        if (c && c !== 'none' && !c.startsWith('url') && o >= 0.6) colours.add(c);
      }
    }
    return { background, colours: [...colours] };
  }, id);
}

describe('dark theme', () => {
  it('draws a dark page and charts whose data colours keep 3:1 against the chart background', async () => {
    const { page, errors } = await openDark('demand?level=region&area=one-london&service=emergency_admission', 'planner');
    for (const id of ['demand-forecast', 'demand-beds', 'demand-age']) await drawnMarks(page, id);
    const pageColours = await page.evaluate(() => ({ body: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.querySelector('h1')!).color, panel: getComputedStyle(document.querySelector('.chart-panel')!).backgroundColor }));
    expect(contrast(pageColours.body, '#000000'), 'the page is dark').toBeLessThan(2);
    expect(contrast(pageColours.text, pageColours.panel)).toBeGreaterThanOrEqual(7);
    for (const id of ['demand-forecast', 'demand-beds', 'demand-age']) {
      const { background, colours } = await chartColours(page, id);
      expect(contrast(background, '#000000'), `${id} background is dark`).toBeLessThan(2);
      expect(colours.length, id).toBeGreaterThan(0);
      for (const c of colours) expect(contrast(c, background), `${id}: ${c} on ${background}`).toBeGreaterThanOrEqual(3);
    }
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'dark-demand-1280');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('compare and overview in the dark: chart colours keep 3:1, axe finds nothing, at 390 px too', async () => {
    for (const width of [1280, 390]) {
      const c = await openDark('compare', 'commissioner', width);
      for (const id of ['compare-areas', 'compare-funnel']) {
        await drawnMarks(c.page, id);
        const { background, colours } = await chartColours(c.page, id);
        for (const col of colours) expect(contrast(col, background), `${id}: ${col}`).toBeGreaterThanOrEqual(3);
      }
      expect(await axeViolations(c.page)).toEqual([]);
      await screenshot(c.page, `dark-compare-${width}`);
      await c.page.context().close();
      const o = await openDark('overview', 'planner', width);
      await drawnMarks(o.page, 'overview-map');
      await drawnMarks(o.page, 'overview-trends');
      const { background, colours } = await chartColours(o.page, 'overview-trends');
      for (const col of colours) expect(contrast(col, background), `overview-trends: ${col}`).toBeGreaterThanOrEqual(3);
      expect(await axeViolations(o.page)).toEqual([]);
      await screenshot(o.page, `dark-overview-${width}`);
      expect([...c.errors, ...o.errors]).toEqual([]);
      await o.page.context().close();
    }
  });

  it('the research and data views in the dark pass axe', async () => {
    const r = await openDark('research', 'researcher', 390);
    await ready(r.page, 'research', 'researcher');
    expect(await axeViolations(r.page)).toEqual([]);
    await screenshot(r.page, 'dark-research-390');
    await r.page.context().close();
    const d = await openDark('data', 'admin', 1280);
    await ready(d.page, 'data', 'admin');
    expect(await axeViolations(d.page)).toEqual([]);
    await screenshot(d.page, 'dark-data-1280');
    expect([...r.errors, ...d.errors]).toEqual([]);
    await d.page.context().close();
  });
});

describe('print', () => {
  it('prints the charts and their figures only: no navigation, controls or buttons', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/demand?level=region&area=wessex&service=emergency_admission');
    for (const id of ['demand-forecast', 'demand-beds', 'demand-age', 'demand-imd']) await drawnMarks(page, id);
    const visible = (sel: string) => page.locator(sel).evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none' && (e as HTMLElement).offsetParent !== null).length);
    expect(await visible('nav.app-nav, main form, main button')).toBeGreaterThan(0);
    await page.emulateMedia({ media: 'print' });
    expect(await visible('nav.app-nav')).toBe(0);
    expect(await visible('main form')).toBe(0);
    expect(await visible('button')).toBe(0);
    expect(await visible('.nhsuk-skip-link, .app-footer, .view-tools')).toBe(0);
    // Every chart still there, drawn and within the page.
    const charts = await page.locator('[data-chart] .chart-view svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height, right: r.right })));
    expect(charts).toHaveLength(4);
    const pageWidth = await page.evaluate(() => document.documentElement.clientWidth);
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(50);
      expect(c.right).toBeLessThanOrEqual(pageWidth + 1);
    }
    await screenshot(page, 'print-demand');
    // And a real print: Chromium lays the page out on A4.
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('copy link', () => {
  it("copies the view's URL (its state, never the token) and says so", async () => {
    const { page, errors } = await openSignedIn(h, 'commissioner', '#/compare?service=ae_attendance');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
    await drawnMarks(page, 'compare-areas');
    await page.getByRole('button', { name: 'Copy link to this view' }).click();
    await page.locator('[data-copy-status]').filter({ hasText: 'Link copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(copied).toContain('#/compare?');
    expect(copied).toContain('service=ae_attendance');
    expect(copied).not.toContain(TOKENS.commissioner);
    await screenshot(page, 'copy-link');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
