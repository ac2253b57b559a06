import { readFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { TOKENS, drawnMarks, openSignedIn, screenshot, startHarness, type Harness } from './harness.ts';

/**
 * Forms, exports and the data pages as people use them, in headless Chromium against the real
 * server: the research form's unavailable choices and its error summary, the preview and every
 * download in words (or codes, where a machine reads them), the Parquet file read back; the
 * scenario form's error summary, focus after "Add a scheme" and the live region after Apply; the
 * Data view's rejects, staleness flag and audit log filters and pages.
 */

// A low export limit, so that a real refusal (413, naming `by`) can be met from the form.
process.env.EXPORT_MAX_CELLS = '3000';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.close();
  delete process.env.EXPORT_MAX_CELLS;
});

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const focusedSummary = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-error-summary') ?? '');

async function downloadOf(page: Page, button: string): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return d;
}

describe('research form', () => {
  it('disables the choices the server would refuse, and says why beside each', async () => {
    const { page, errors } = await openSignedIn(h, 'researcher', '#/research?measure=dsr&by=region');
    const ageBand = page.locator('#research-by-age_band');
    await expect(ageBand.isDisabled()).resolves.toBe(true);
    const hintId = await ageBand.getAttribute('aria-describedby');
    expect(hintId).toBe('research-by-age_band-hint');
    await expect(page.locator(`#${hintId}`).innerText()).resolves.toMatch(/Not with an age-standardised rate/);
    // The other way round: with Age band ticked, the DSR cannot be chosen.
    await page.locator('#research-measure-count').check();
    await page.locator('#research-by-age_band').check();
    await page.waitForFunction(() => location.hash.includes('age_band'));
    const dsr = page.locator('#research-measure-dsr');
    await expect(dsr.isDisabled()).resolves.toBe(true);
    await expect(page.locator('#research-measure-dsr-hint').innerText()).resolves.toMatch(/Untick Age band/);
    // Month and Year exclude each other; a fourth dimension is unavailable.
    await page.locator('#research-by-month').check();
    await expect(page.locator('#research-by-year').isDisabled()).resolves.toBe(true);
    await expect(page.locator('#research-by-sex').isDisabled()).resolves.toBe(true);
    await expect(page.locator('#research-by-sex-hint').innerText()).resolves.toMatch(/At most 3/);
    await screenshot(page, 'forms-research-disabled');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows a refusal in the NHS.UK error summary, focused, linked to the field, and the field marked", async () => {
    const { page, errors } = await openSignedIn(h, 'researcher', '#/research?from=2019-07&to=2024-06&by=stp,month,age_band');
    await page.getByRole('button', { name: 'Build the table' }).click();
    const summary = page.locator('[data-error-summary="research-errors"]');
    await summary.waitFor();
    await expect(focusedSummary(page)).resolves.toBe('research-errors');
    await expect(summary.getByRole('heading').innerText()).resolves.toBe('There is a problem');
    const link = summary.getByRole('link');
    await expect(link.innerText()).resolves.toMatch(/rows.*limit is 3,000/);
    await expect(page.locator('.nhsuk-form-group--error #research-by-error').innerText()).resolves.toMatch(/limit/);
    await link.click();
    await expect(focusedId(page)).resolves.toBe('research-by-stp');
    // The link did not navigate away from the view (the app routes on the hash).
    expect(page.url()).toContain('#/research?');
    await screenshot(page, 'forms-research-error-summary');
    // The browser logs the refused request itself (413); nothing else may be logged.
    expect(errors.filter((e) => !/status of 413/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('previews in words, and downloads the readable CSV, the CSV with codes, Parquet and the metadata sheet', async () => {
    const { page, errors } = await openSignedIn(h, 'researcher', '#/research?measure=crude_rate&by=region,sex');
    await page.getByRole('button', { name: 'Build the table' }).click();
    await page.locator('table.preview tbody tr').first().waitFor();
    const headers = await page.locator('table.preview thead th').allInnerTexts();
    expect(headers).toEqual(['Region', 'Sex', 'Count', 'Person-years', 'Crude rate per 1,000 person-years', '95% CI lower', '95% CI upper']);
    const preview = await page.locator('table.preview tbody').innerText();
    expect(preview).toContain('Greater Manchester');
    expect(preview).toContain('Female');
    expect(preview).not.toMatch(/greater-manchester|person_years|lo95/);
    const rows = await page.locator('table.preview tbody tr').count();
    // 5 regions x (2 sexes + total) + the all-regions margin.
    expect(rows).toBe(18);

    const csv = await readFile((await (await downloadOf(page, 'Download CSV')).path())!, 'utf8');
    const lines = csv.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines[0]).toBe('Region,Region code,Sex,Count,Person-years,"Crude rate per 1,000 person-years",95% CI lower,95% CI upper,Count suppressed,Person-years suppressed');
    expect(lines[1]).toMatch(/^Greater Manchester,greater-manchester,Female,/);
    expect(csv).toContain('# columns: region_label,region,sex_label,count,person_years,crude_rate,lo95,hi95,count_suppressed,person_years_suppressed');
    expect(lines).toHaveLength(1 + rows);

    const codesDownload = await downloadOf(page, 'Download CSV with codes');
    expect(codesDownload.suggestedFilename()).toMatch(/^research-emergency-admission-crude-rate-by-region-sex-\d{4}(-\d{4})?-codes\.csv$/);
    const codes = (await readFile((await codesDownload.path())!, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(codes[0]).toBe('region,sex,count,person_years,crude_rate,lo95,hi95,count_suppressed,person_years_suppressed');
    expect(codes[1]).toMatch(/^greater-manchester,female,/);

    // Parquet, through the browser's download and read back with DuckDB.
    const parquetDownload = await downloadOf(page, 'Download Parquet');
    expect(parquetDownload.suggestedFilename()).toMatch(/\.parquet$/);
    const parquetPath = (await parquetDownload.path())!;
    const bytes = await readFile(parquetPath);
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const read = await c.runAndReadAll(`SELECT region, sex, count, count_suppressed FROM read_parquet('${parquetPath.replace(/'/g, "''")}')`);
    const parquetRows = read.getRowObjectsJson();
    c.closeSync();
    db.closeSync();
    expect(parquetRows).toHaveLength(rows);
    // The same cells as the CSV with codes, in the same order.
    expect(parquetRows.map((r) => [r.region, r.sex, r.count === null ? '*' : String(r.count)])).toEqual(codes.slice(1).map((l) => l.split(',').slice(0, 3)));

    await page.locator('details.metadata > summary').click();
    await expect(page.locator('details.metadata').innerText()).resolves.toMatch(/Person-years\s+person_years/);
    const md = await readFile((await (await downloadOf(page, 'Download metadata sheet (Markdown)')).path())!, 'utf8');
    expect(md).toMatch(/^# Research export: Emergency admissions, crude rate per 1,000/);
    expect(md).toContain('| Person-years | `person_years` |');
    expect(md).toContain('| `greater-manchester` | Greater Manchester |');
    const json = JSON.parse(await readFile((await (await downloadOf(page, 'Download metadata (JSON)')).path())!, 'utf8')) as { labels: { columns: Record<string, string> } };
    expect(json.labels.columns.lo95).toBe('95% CI lower');
    await screenshot(page, 'forms-research-words');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it.each([1280, 390])("the preview's scroll box never covers the metadata sheet link (%i px)", async (width) => {
    const { page, errors } = await openSignedIn(h, 'researcher', '#/research?by=stp,month', width);
    await page.getByRole('button', { name: 'Build the table' }).click();
    await page.locator('table.preview tbody tr').first().waitFor();
    const summary = page.locator('details.metadata > summary');
    await summary.scrollIntoViewIfNeeded();
    const geometry = await page.evaluate(() => {
      const box = document.querySelector('.table-scroll[aria-label^="Export preview"]')!.getBoundingClientRect();
      const s = document.querySelector('details.metadata > summary')!;
      const r = s.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + 20, r.top + r.height / 2);
      return { boxBottom: box.bottom, summaryTop: r.top, hitIsSummary: hit !== null && s.contains(hit), scrolls: document.querySelector('.table-scroll[aria-label^="Export preview"]')!.scrollHeight > box.height };
    });
    expect(geometry.scrolls, 'the preview is tall enough to scroll').toBe(true);
    expect(geometry.summaryTop).toBeGreaterThanOrEqual(geometry.boxBottom);
    expect(geometry.hitIsSummary).toBe(true);
    await summary.click();
    await expect(page.locator('details.metadata').getAttribute('open')).resolves.not.toBeNull();
    await screenshot(page, `forms-research-metadata-${width}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('scenario form', () => {
  it('lists every problem in a focused error summary, each linked to its field, fields marked', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/demand?level=region&area=wessex&service=emergency_admission');
    await drawnMarks(page, 'demand-forecast');
    await page.getByLabel('Population growth (% a year)').fill('lots');
    await page.getByLabel('Target bed occupancy (%)').fill('20');
    await page.getByRole('button', { name: 'Add a scheme' }).click();
    await page.getByLabel('Avoided (%)').fill('0');
    await page.getByLabel('Start (YYYY-MM)').fill('next year');
    const before = page.url();
    await page.getByRole('button', { name: 'Apply assumptions' }).click();
    const summary = page.locator('[data-error-summary="scenario-errors"]');
    await summary.waitFor();
    await expect(focusedSummary(page)).resolves.toBe('scenario-errors');
    const links = await summary.getByRole('link').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
    expect(links.map((l) => l[0])).toEqual(['#pop-growth', '#occupancy', '#scheme-0-percent', '#scheme-0-start']);
    expect(links[0]![1]).toMatch(/Population growth must be a number from -10 to 10/);
    for (const id of ['pop-growth', 'occupancy', 'scheme-0-percent', 'scheme-0-start']) {
      const field = page.locator(`#${id}`);
      await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(field.getAttribute('aria-describedby')).resolves.toContain(`${id}-error`);
      await expect(page.locator(`#${id}-error`).isVisible()).resolves.toBe(true);
      await expect(field.evaluate((el) => el.closest('.nhsuk-form-group')!.classList.contains('nhsuk-form-group--error'))).resolves.toBe(true);
    }
    await summary.getByRole('link', { name: /occupancy/ }).click();
    await expect(focusedId(page)).resolves.toBe('occupancy');
    // Nothing was applied.
    expect(page.url()).toBe(before);
    await screenshot(page, 'forms-scenario-error-summary');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('"Add a scheme" adds the fields below the button, not above it, and moves focus to them', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/demand?level=region&area=wessex&service=emergency_admission');
    await drawnMarks(page, 'demand-forecast');
    const add = page.getByRole('button', { name: 'Add a scheme' });
    // Positions on the page, not in the window: moving the focus may scroll.
    const top = (sel: string) => page.locator(sel).evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await add.focus();
    const y0 = await top('#add-scheme');
    await page.keyboard.press('Enter');
    await page.locator('#scheme-0-service').waitFor();
    await expect(focusedId(page)).resolves.toBe('scheme-0-service');
    expect(await top('#add-scheme')).toBe(y0);
    expect(await top('#scheme-0-service')).toBeGreaterThan(y0);
    // Again from the button: the second scheme is below the first, and the button has not moved.
    await add.focus();
    await page.keyboard.press('Enter');
    await page.locator('#scheme-1-service').waitFor();
    await expect(focusedId(page)).resolves.toBe('scheme-1-service');
    expect(await top('#add-scheme')).toBe(y0);
    expect(await top('#scheme-1-service')).toBeGreaterThan(await top('#scheme-0-service'));
    await expect(page.locator('[data-scenario-status]').innerText()).resolves.toBe('Scheme 2 added.');
    await screenshot(page, 'forms-scenario-add-scheme');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('announces in a live region when the applied assumptions are drawn', async () => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/demand?level=region&area=wessex&service=emergency_admission');
    await drawnMarks(page, 'demand-forecast');
    const status = page.locator('[data-scenario-status]');
    await expect(status.getAttribute('role')).resolves.toBe('status');
    await expect(status.getAttribute('aria-live')).resolves.toBe('polite');
    await page.getByLabel('Non-demographic growth (% a year)').fill('3');
    await page.getByRole('button', { name: 'Apply assumptions' }).click();
    await status.filter({ hasText: /^Assumptions applied/ }).waitFor();
    await expect(status.innerText()).resolves.toMatch(/other growth 3% a year.*The forecast is updated\./);
    expect(page.url()).toContain('nonDemGrowth=3');
    // Applying the same again changes nothing, and says so.
    await page.getByRole('button', { name: 'Apply assumptions' }).click();
    await status.filter({ hasText: 'nothing changed' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('data view', () => {
  it.each([1280, 390])('rejects with their share, a description and a warning above 1%% (%i px)', async (width) => {
    const { page, errors } = await openSignedIn(h, 'planner', '#/overview', width);
    // The sample record has no rejects: plant some in the manifest this page reads.
    await page.route('**/api/manifest', async (route) => {
      const res = await route.fetch();
      const m = (await res.json()) as { resources: Record<string, { read: number; loaded: number; rejected: number; rejectedByReason: Record<string, number> }> };
      const enc = m.resources.Encounter!;
      enc.rejectedByReason = { unknown_patient: 4000, event_in_future: 1000 };
      enc.rejected = 5000;
      enc.loaded = enc.read - 5000;
      m.resources.Patient!.rejectedByReason = { invalid_nhs_number: 3 };
      m.resources.Patient!.rejected = 3;
      m.resources.Patient!.loaded = m.resources.Patient!.read - 3;
      await route.fulfill({ response: res, json: m });
    });
    await page.getByRole('link', { name: 'Data and pipeline' }).click();
    await page.getByRole('heading', { name: 'Why records were rejected' }).waitFor();
    const warning = page.locator('[data-rejects-warning]');
    await expect(warning.innerText()).resolves.toMatch(/\d\.\d% of Encounter records \(5,000 of [\d,]+\) was rejected, more than 1\.0%/);
    await expect(warning.innerText()).resolves.not.toContain('Patient');
    const reason = page.locator('[data-reason="unknown_patient"]');
    await expect(reason.innerText()).resolves.toMatch(/Unknown patient[\s\S]*4,000[\s\S]*\d\.\d%[\s\S]*No loaded patient has that id/);
    await expect(page.locator('[data-reason="event_in_future"]').innerText()).resolves.toMatch(/In the future/);
    await expect(page.locator('[data-share="Patient"]').innerText()).resolves.toMatch(/0\.05%|0\.0\d%/);
    // Nothing off-screen on a phone: every reason cell is inside the window.
    const right = await page.locator('[data-reason] td').evaluateAll((tds) => Math.max(...tds.map((td) => td.getBoundingClientRect().right)));
    expect(right).toBeLessThanOrEqual(width);
    await page.locator('[data-reason="unknown_patient"]').scrollIntoViewIfNeeded();
    await screenshot(page, `forms-data-rejects-${width}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('flags stale data against the build time, and not data as recent as the build allows', async () => {
    const stale = await openSignedIn(h, 'planner', '#/data');
    const meta = (await stale.page.evaluate(async (t) => (await fetch('/api/meta', { headers: { authorization: `Bearer ${t}` } })).json(), TOKENS.planner)) as { freshness: { lastEventMonth: string; builtAt: string } };
    const [ly, lm] = meta.freshness.lastEventMonth.split('-').map(Number) as [number, number];
    const [by, bm] = meta.freshness.builtAt.slice(0, 7).split('-').map(Number) as [number, number];
    const behind = by * 12 + bm - (ly * 12 + lm) - 1;
    const flag = stale.page.locator('[data-stale="true"]');
    if (behind >= 2) {
      await expect(flag.innerText()).resolves.toContain(`The data are ${behind} months behind`);
    } else {
      await expect(flag.count()).resolves.toBe(0);
    }
    await stale.page.context().close();

    // The same warehouse as if built the month after its newest data: up to date, no warning.
    const fresh = await openSignedIn(h, 'planner', '#/overview');
    await fresh.page.route('**/api/meta', async (route) => {
      const res = await route.fetch();
      const m = (await res.json()) as { freshness: { lastEventMonth: string; builtAt: string } };
      const [y, mo] = m.freshness.lastEventMonth.split('-').map(Number) as [number, number];
      m.freshness.builtAt = mo === 12 ? `${y + 1}-01-05T09:00:00.000Z` : `${y}-${String(mo + 1).padStart(2, '0')}-05T09:00:00.000Z`;
      await route.fulfill({ response: res, json: m });
    });
    await fresh.page.reload();
    await fresh.page.locator('h1.view-title').waitFor();
    await fresh.page.getByRole('link', { name: 'Data and pipeline' }).click();
    await fresh.page.getByRole('heading', { name: 'Freshness' }).waitFor();
    await expect(fresh.page.locator('[data-stale="true"]').count()).resolves.toBe(0);
    await expect(fresh.page.getByText('Up to date', { exact: true }).count()).resolves.toBe(1);
    await stale.page.context().close().catch(() => {});
    await fresh.page.context().close();
    expect([...stale.errors, ...fresh.errors]).toEqual([]);
  });

  it('the audit log: a table filtered on the server by status and user, with pages', async () => {
    // Some refusals to find: a planner asking for exports and the audit log (403s).
    const planner = await openSignedIn(h, 'planner', '#/overview');
    for (const p of ['/api/exports', '/api/audit']) {
      const status = await planner.page.evaluate(async ([path, t]) => (await fetch(path!, { headers: { authorization: `Bearer ${t}` } })).status, [p, TOKENS.planner] as const);
      expect(status).toBe(403);
    }
    await drawnMarks(planner.page, 'overview-map');
    await planner.page.context().close();

    const { page, errors } = await openSignedIn(h, 'admin', '#/data');
    await page.locator('table.audit tbody tr').first().waitFor();
    const summary = page.locator('[data-audit-summary]');
    const all = Number(/of ([\d,]+)/.exec(await summary.innerText())![1]!.replace(/,/g, ''));
    expect(all).toBeGreaterThan(25);
    await expect(page.locator('table.audit tbody tr').count()).resolves.toBe(25);

    // Pages: older entries start below the last one shown; newer brings the first page back.
    const firstPage = await page.locator('table.audit tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
    await page.getByRole('button', { name: 'Older entries' }).click();
    await summary.filter({ hasText: /^\s*Entries 26 to/ }).waitFor();
    const secondPage = await page.locator('table.audit tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
    expect(Math.max(...secondPage)).toBeLessThan(Math.min(...firstPage));
    await page.getByRole('button', { name: 'Newer entries' }).click();
    await summary.filter({ hasText: /^\s*Entries 1 to 25/ }).waitFor();

    // Filters: refusals (4xx) by the planner only.
    await page.locator('#audit-status').selectOption('4xx');
    await page.locator('#audit-user').selectOption('planner-tester');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await summary.filter({ hasText: 'matching' }).waitFor();
    const rows = page.locator('table.audit tbody tr');
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThanOrEqual(2);
    for (const s of statuses) expect(s).toMatch(/^4\d\d$/);
    for (const who of await rows.locator('td:nth-child(3)').allInnerTexts()) expect(who).toContain('planner-tester');
    await expect(rows.locator('td:nth-child(4)').allInnerTexts()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('/api/audit'), expect.stringContaining('/api/exports')]));
    // A date range with nothing in it.
    await page.locator('#audit-from').fill('2000-01-01');
    await page.locator('#audit-to').fill('2000-01-31');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await summary.filter({ hasText: 'No entries match these filters.' }).waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await summary.filter({ hasText: /^\s*Entries 1 to 25 of/ }).waitFor();
    await screenshot(page, 'forms-data-audit');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
