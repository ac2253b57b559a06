import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCategoryLabel, exportColumnLabel } from '../../domain/export-labels.ts';
import { startFixtureServer, TOKENS, type FixtureServer } from '../server/helpers.ts';

/**
 * The research export for people: the readable CSV (`labels=words`), the metadata sheet's labels
 * and its Markdown form, beside the codes CSV they must agree with cell for cell; and the audit
 * log's filters. Over the fixture warehouse (allow-list: pids 1, 10, 11, 20; worked in
 * test/exports/http.test.ts).
 */
let s: FixtureServer;
beforeAll(async () => {
  s = await startFixtureServer();
});
afterAll(async () => {
  await s?.cleanup();
});

const auth = (role: string) => ({ authorization: `Bearer ${(TOKENS as Record<string, string>)[role]}` });
const get = (p: string, role = 'researcher') => fetch(`${s.url}${p}`, { headers: auth(role) });
async function create(body: unknown): Promise<string> {
  const res = await fetch(`${s.url}/api/exports`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth('researcher') }, body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const dataLines = (csv: string) => csv.split('\n').filter((l) => l && !l.startsWith('#'));

describe('labels', () => {
  it('words for columns and categories, machine names kept for unknown ones', () => {
    expect(exportColumnLabel('person_years')).toBe('Person-years');
    expect(exportColumnLabel('lo95')).toBe('95% CI lower');
    expect(exportColumnLabel('count_suppressed')).toBe('Count suppressed');
    expect(exportColumnLabel('something_new')).toBe('something_new');
    expect(exportCategoryLabel('region', 'greater-manchester')).toBe('Greater Manchester');
    expect(exportCategoryLabel('stp', 'E54000042')).toBe('Hampshire and the Isle of Wight');
    expect(exportCategoryLabel('age_band', '85-89')).toBe('85 to 89');
    expect(exportCategoryLabel('age_band', '90+')).toBe('90 and over');
    expect(exportCategoryLabel('month', '2019-03')).toBe('Mar 2019');
    expect(exportCategoryLabel('sex', 'female')).toBe('Female');
    expect(exportCategoryLabel('imd_decile', '1')).toBe('1 (most deprived)');
    expect(exportCategoryLabel('region', 'Total')).toBe('Total');
  });
});

describe('readable research export', () => {
  it('the readable CSV has a header in words, names with their codes beside them, and the same cells as the codes CSV', async () => {
    const id = await create({ service: 'emergency_admission', measure: 'count', from: '2019-01', to: '2019-12', by: ['region'] });
    const codes = await (await get(`/api/exports/${id}?format=csv`)).text();
    const res = await get(`/api/exports/${id}?format=csv&labels=words`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`lhcre-export-${id}-readable.csv`);
    const words = await res.text();
    expect(words.split('\n')).toContain('# columns: region_label,region,count,count_suppressed');
    // Worked by hand in http.test.ts: GM and Wessex withheld (primary and secondary), the rest true zeros.
    expect(dataLines(words)).toEqual([
      'Region,Region code,Count,Count suppressed',
      'Greater Manchester,greater-manchester,*,yes',
      'Wessex,wessex,*,yes',
      'One London,one-london,0,no',
      'Yorkshire and the Humber,yorkshire-humber,0,no',
      'Thames Valley and Surrey,thames-valley-surrey,0,no',
      'Total,,55,no',
    ]);
    // Cell for cell the codes CSV: the code column and the count are its region and count.
    const machine = dataLines(codes).slice(1).map((l) => l.split(','));
    const readable = dataLines(words).slice(1).map((l) => l.split(','));
    expect(readable.map((r) => [r[1] || 'Total', r[2]])).toEqual(machine.map((r) => [r[0], r[1]]));
  });

  it('rates: Person-years and the 95% CI in words; STP names that hold commas are quoted', async () => {
    const id = await create({ service: 'emergency_admission', measure: 'crude_rate', from: '2019-01', to: '2019-12', by: ['stp', 'sex'] });
    const words = await (await get(`/api/exports/${id}?format=csv&labels=words`)).text();
    const lines = dataLines(words);
    expect(lines[0]).toBe('STP,STP code,Sex,Count,Person-years,Crude rate per 1,000 person-years,95% CI lower,95% CI upper,Count suppressed,Person-years suppressed'.replace('Crude rate per 1,000 person-years', '"Crude rate per 1,000 person-years"'));
    expect(lines.some((l) => l.startsWith('"Buckinghamshire, Oxfordshire and Berkshire West",E54000044,Female,'))).toBe(true);
    expect(lines.every((l) => !/greater-manchester|person_years|lo95/.test(l.split(',').slice(0, 1).join()))).toBe(true);
  });

  it('refuses labels=words for JSON and Parquet (machine formats keep the codes) and a bad labels value', async () => {
    const id = await create({ service: 'ae_attendance', measure: 'count', from: '2019-01', to: '2019-12', by: ['sex'] });
    for (const q of ['format=json&labels=words', 'format=parquet&labels=words', 'labels=names']) {
      const res = await get(`/api/exports/${id}?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { param: string }).param).toBe('labels');
    }
  });

  it('the metadata sheet carries labels in JSON and reads in words as Markdown', async () => {
    const id = await create({ service: 'emergency_admission', measure: 'dsr', from: '2019-01', to: '2019-12', by: ['region'] });
    const json = (await (await get(`/api/exports/${id}/metadata`)).json()) as { labels: { columns: Record<string, string>; categories: Record<string, Record<string, string>>; measure: string } };
    expect(json.labels.columns).toMatchObject({ region: 'Region', person_years: 'Person-years', lo95: '95% CI lower', hi95: '95% CI upper', dsr: 'Age-standardised rate per 1,000 person-years' });
    expect(json.labels.categories.region!['greater-manchester']).toBe('Greater Manchester');
    expect(json.labels.measure).toBe('Age-standardised rate per 1,000 (DSR)');
    const res = await get(`/api/exports/${id}/metadata?format=md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('content-disposition')).toContain(`lhcre-export-${id}-metadata.md`);
    const md = await res.text();
    expect(md).toMatch(/^# Research export: Emergency admissions, age-standardised rate per 1,000 \(dsr\)/m);
    expect(md).toContain('| Period | Jan 2019 to Dec 2019 |');
    expect(md).toContain('| Person-years | `person_years` |');
    expect(md).toContain('| 95% CI lower | `lo95` |');
    expect(md).toContain('| `greater-manchester` | Greater Manchester |');
    expect(md).toMatch(/## Disclosure control\n\n1\. Primary suppression: counts from 1 to 7/);
    expect(md).toContain('| Withheld: primary suppression | 1 |');
    expect((await get(`/api/exports/${id}/metadata?format=pdf`)).status).toBe(400);
    expect((await get(`/api/exports/${id}/metadata?labels=words`)).status).toBe(400);
  });
});

describe('audit log filters', () => {
  it('filters by user, endpoint, status class and date, and counts what matched', async () => {
    // A planner's refusal and an admin's read, beside the researcher's exports above.
    expect((await get('/api/exports', 'planner')).status).toBe(403);
    const all = (await (await get('/api/audit?limit=1000', 'admin')).json()) as { total: number; matched: number; facets: { users: string[]; endpoints: string[] }; entries: { user: string; endpoint: string; status: number; time: string; seq: number }[] };
    expect(all.matched).toBe(all.total);
    expect(all.facets.users).toEqual(expect.arrayContaining(['t-researcher', 't-planner']));
    expect(all.facets.endpoints).toEqual(expect.arrayContaining(['/api/exports', '/api/exports/:id', '/api/exports/:id/metadata']));

    const denied = (await (await get('/api/audit?status=4xx&user=t-planner', 'admin')).json()) as typeof all;
    expect(denied.entries.length).toBeGreaterThanOrEqual(1);
    for (const e of denied.entries) expect([e.user, String(e.status)[0]]).toEqual(['t-planner', '4']);
    expect(denied.matched).toBe(all.entries.filter((e) => e.user === 't-planner' && String(e.status).startsWith('4')).length);

    const md = (await (await get(`/api/audit?endpoint=${encodeURIComponent('/api/exports/:id/metadata')}&status=200`, 'admin')).json()) as typeof all;
    expect(md.entries.length).toBe(all.entries.filter((e) => e.endpoint === '/api/exports/:id/metadata' && e.status === 200).length);
    expect(md.entries.length).toBeGreaterThanOrEqual(2);

    const today = all.entries[0]!.time.slice(0, 10);
    const onDay = (await (await get(`/api/audit?from=${today}&to=${today}&limit=1000`, 'admin')).json()) as typeof all;
    // The reads of the log are audited too, so the day has gained entries since `all` was read.
    expect(onDay.matched).toBeGreaterThanOrEqual(all.entries.filter((e) => e.time.startsWith(today)).length);
    for (const e of onDay.entries) expect(e.time.slice(0, 10)).toBe(today);
    const none = (await (await get('/api/audit?to=2000-01-01', 'admin')).json()) as typeof all;
    expect([none.matched, none.entries.length]).toEqual([0, 0]);

    // Paging within a filter: the second page starts below the first page's last seq.
    const p1 = (await (await get('/api/audit?user=t-researcher&limit=3', 'admin')).json()) as typeof all;
    const p2 = (await (await get(`/api/audit?user=t-researcher&limit=3&before=${p1.entries.at(-1)!.seq}`, 'admin')).json()) as typeof all;
    expect(p1.entries).toHaveLength(3);
    expect(p2.entries[0]!.seq).toBeLessThan(p1.entries.at(-1)!.seq);
    for (const e of [...p1.entries, ...p2.entries]) expect(e.user).toBe('t-researcher');
  });

  it('refuses a malformed filter, naming it', async () => {
    for (const [q, param] of [['status=41', 'status'], ['from=2024-1-1', 'from'], ['endpoint=exports', 'endpoint'], ['who=x', 'who']] as const) {
      const res = await get(`/api/audit?${q}`, 'admin');
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { param: string }).param).toBe(param);
    }
  });
});
