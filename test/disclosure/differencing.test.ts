/**
 * The red team's differencing attacks, run as a researcher would run them (every table through
 * the same request validation and table builder as POST /api/exports) against the sample
 * warehouse built by the real pipeline, with the truth read from the warehouse by DuckDB.
 *
 * Each attack gathers interval evidence about a target count (a month's or a year's count, a
 * stratum's population) from tables that the API accepts, and `judge` checks that the evidence
 * never leaves fewer values than the rules' own range for that target (1..7 for a suppressed
 * count, v-2..v+2 for a count shown as v) and never pins the exact value. Attacks the API
 * refuses to serve (windows that are not whole calendar years) yield no evidence.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_BANDS, AGE_BAND_CODES } from '../../domain/age-bands.ts';
import { STPS } from '../../domain/geography.ts';
import { DEFAULT_DISCLOSURE_CONFIG as cfg } from '../../server/disclosure/config.ts';
import { gridIndex, gridLength } from '../../server/disclosure/grid.ts';
import { recoverableEntries } from '../../server/disclosure/recoverability.ts';
import { SECONDARY, SHOWN } from '../../server/disclosure/suppress.ts';
import type { PublishedTable } from '../../server/disclosure/export/build-table.ts';
import { parseExportRequest } from '../../server/disclosure/export/request.ts';
import { computeTable } from '../../server/disclosure/export/service.ts';
import { REPO_ROOT, startServer, type RunningServer } from '../../server/start.ts';
import { testAuthStore, tempDir } from '../server/helpers.ts';
import {
  cell,
  differenceEvidence,
  forEachComposition,
  judge,
  months,
  newVerdict,
  ruleRange,
  type Range,
  type Verdict,
} from './attacker.ts';

const SERVICES = ['emergency_admission', 'elective_admission'] as const;
const YEARS = [2022, 2023];
const BASE = cfg.roundTo;
const STP_CODES = STPS.map((s) => s.code);

let dir: string;
let srv: RunningServer;
let warehouse: string;
let attacks = 0;

beforeAll(async () => {
  dir = tempDir('lhcre-diff-');
  warehouse = path.join(dir, 'warehouse');
  const key = path.join(dir, 'key');
  writeFileSync(key, randomBytes(32).toString('hex'), { mode: 0o600 });
  const cli = path.join(REPO_ROOT, 'pipelines/ingest/cli.ts');
  const r = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/tsx'), [cli, '--input', path.join(REPO_ROOT, 'data-samples/sample-record'), '--warehouse', warehouse, '--key-file', key, '--quiet'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pipeline failed: ${r.stderr}`);
  srv = await startServer({ warehouseDir: warehouse, auth: testAuthStore(), logger: pino({ level: 'silent' }), stateDir: path.join(dir, 'state'), threads: 1 });
});
afterAll(async () => {
  await srv?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  console.log(`differencing suite: ${attacks} attacks run`);
});

/** A table as the API would publish it, or null where the API refuses the request (400). */
async function table(service: string, measure: string, from: string, to: string, by: string[]): Promise<PublishedTable | null> {
  let request;
  try {
    request = parseExportRequest({ service, measure, from, to, by }, srv.ctx.warehouse.period);
  } catch (e) {
    if ((e as Error).name === 'ExportRequestError') return null;
    throw e;
  }
  return computeTable(srv.ctx, request, { disclosure: cfg, maxCells: 1e9, perHour: 1e9 });
}

async function truth(sql: string): Promise<Map<string, number>> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    const rows = (await c.runAndReadAll(sql.replaceAll('{WH}', warehouse))).getRowsJS() as unknown[][];
    return new Map(rows.map((r) => [r.slice(0, -1).map(String).join('|'), Number(r.at(-1))]));
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

/** The rounding step a printed rate shows (the finest power of ten among rate and limits). */
function rateStep(...xs: number[]): number {
  let step = 100;
  while (step > 1e-6 && xs.some((x) => Math.abs(x / step - Math.round(x / step)) > 1e-9)) step /= 10;
  return step;
}

const eventsBy = (service: string, keys: string) =>
  truth(`SELECT ${keys}, sum(research_events) FROM read_parquet('{WH}/rollups/data.parquet') WHERE service = '${service}' GROUP BY ALL`);
const researchPopulation = () =>
  truth(`SELECT year, stp_code, sex, age_band, sum(research_population) FROM read_parquet('{WH}/population/data.parquet') GROUP BY ALL`);
const ym = "strftime(month, '%Y-%m')";

function report(name: string, v: Verdict): void {
  console.log(`${name}: ${v.targets} targets, ${v.attacked} attacked, ${v.narrowed.length} narrowed, ${v.exact.length} exact, ${v.misled} misled`);
  if (v.exact.length || v.narrowed.length) console.log([...v.exact, ...v.narrowed].slice(0, 5).join('\n'));
}

/** Sum of the truth over the months of `window` for one STP (months keyed stp|YYYY-MM). */
const windowTruth = (t: Map<string, number>, stp: string, window: string[]) => window.reduce((s, m) => s + (t.get(`${stp}|${m}`) ?? 0), 0);

describe('differencing attacks on research outputs (sample warehouse)', () => {
  it('windows that are not whole calendar years are refused, naming the field', () => {
    const period = srv.ctx.warehouse.period;
    expect(() => parseExportRequest({ service: 'emergency_admission', measure: 'count', from: '2023-01', to: '2023-11' }, period)).toThrow(/to.*calendar year/);
    expect(() => parseExportRequest({ service: 'emergency_admission', measure: 'count', from: '2023-02', to: '2023-12' }, period)).toThrow(/from.*calendar year/);
    expect(parseExportRequest({ service: 'emergency_admission', measure: 'count', from: '2022-01', to: '2023-12' }, period).from).toBe('2022-01');
    // The data period's own first and last months bound a (partial) year too.
    expect(parseExportRequest({ service: 'emergency_admission', measure: 'count', from: period.from, to: period.to }, period).to).toBe(period.to);
  });

  for (const service of SERVICES) {
    it(`${service}: window differencing on counts (month and year targets, by STP)`, async () => {
      const t = await eventsBy(service, `stp_code, ${ym}`);
      const v = newVerdict();
      for (const year of YEARS) {
        const all = months(`${year}-01`, `${year}-12`);
        const own = await table(service, 'count', `${year}-01`, `${year}-12`, ['stp', 'month']);
        expect(own).not.toBeNull();
        // Every prefix, suffix and single month of the year that the API will serve.
        const windows = new Map<string, PublishedTable | null>();
        for (let i = 0; i < 12; i++) {
          for (const [f, to] of [[all[0]!, all[i]!], [all[i]!, all[11]!], [all[i]!, all[i]!]] as const) {
            const k = `${f}..${to}`;
            if (!windows.has(k)) windows.set(k, await table(service, 'count', f, to, ['stp']));
          }
        }
        for (let i = 0; i < 12; i++) {
          const m = all[i]!;
          const pairs: [string, string][] = [];
          if (i > 0) pairs.push([`${all[0]}..${m}`, `${all[0]}..${all[i - 1]}`]);
          if (i < 11) pairs.push([`${m}..${all[11]}`, `${all[i + 1]}..${all[11]}`]);
          for (const stp of STP_CODES) {
            const truthValue = t.get(`${stp}|${m}`) ?? 0;
            const published = cell(own!, 'count', [stp, m]);
            const evidence: Range[] = [];
            for (const [a, b] of pairs) {
              const ta = windows.get(a);
              const tb = windows.get(b);
              if (!ta || !tb) continue;
              attacks++;
              const pa = cell(ta, 'count', [stp]);
              const pb = cell(tb, 'count', [stp]);
              if (typeof pa === 'number' && typeof pb === 'number') evidence.push(differenceEvidence(pa, pb, BASE));
            }
            const direct = windows.get(`${m}..${m}`);
            if (direct) {
              const p = cell(direct, 'count', [stp]);
              if (typeof p === 'number') evidence.push(ruleRange(p, false, BASE, cfg.suppressTo));
            }
            judge(v, `${stp} ${m}`, evidence, ruleRange(published, truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo), truthValue);
          }
        }
      }
      // Year targets: multi-year windows differenced against each other.
      const years = [2020, 2021, 2022, 2023];
      const span = new Map<string, PublishedTable | null>();
      for (const a of years) for (const b of years) if (a <= b) span.set(`${a}-${b}`, await table(service, 'count', `${a}-01`, `${b}-12`, ['stp']));
      for (const y of years) {
        const own = span.get(`${y}-${y}`)!;
        for (const stp of STP_CODES) {
          const truthValue = windowTruth(t, stp, months(`${y}-01`, `${y}-12`));
          const evidence: Range[] = [];
          for (const [a, b] of [[`${years[0]}-${y}`, `${years[0]}-${y - 1}`], [`${y}-${years.at(-1)}`, `${y + 1}-${years.at(-1)}`]]) {
            const ta = span.get(a!);
            const tb = span.get(b!);
            if (!ta || !tb) continue;
            attacks++;
            const pa = cell(ta, 'count', [stp]);
            const pb = cell(tb, 'count', [stp]);
            if (typeof pa === 'number' && typeof pb === 'number') evidence.push(differenceEvidence(pa, pb, BASE));
          }
          judge(v, `${stp} ${y}`, evidence, ruleRange(cell(own, 'count', [stp]), truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo), truthValue);
        }
      }
      report(`${service} count differencing`, v);
      expect(v.attacked).toBeGreaterThan(0);
      expect(v.exact).toEqual([]);
      expect(v.narrowed).toEqual([]);
    });
  }

  it('rounded person-years cannot be undone by windows of 1..12 months', async () => {
    const pop = await researchPopulation();
    const v = newVerdict();
    for (const year of YEARS) {
      const all = months(`${year}-01`, `${year}-12`);
      const tables: (PublishedTable | null)[] = [];
      for (let n = 1; n <= 12; n++) tables.push(await table('emergency_admission', 'crude_rate', all[0]!, all[n - 1]!, ['stp', 'age_band']));
      const full = tables[11]!;
      expect(full).not.toBeNull();
      for (const stp of STP_CODES) {
        for (const band of AGE_BAND_CODES) {
          const truthValue = (pop.get(`${year}|${stp}|female|${band}`) ?? 0) + (pop.get(`${year}|${stp}|male|${band}`) ?? 0);
          const evidence: Range[] = [];
          tables.forEach((tb, i) => {
            if (!tb) return;
            attacks++;
            const n = i + 1;
            const py = cell(tb, 'person_years', [stp, band]);
            // py shown = round5(pop * n / 12), so pop lies in [(py - 2.5) * 12 / n, (py + 2.5) * 12 / n).
            if (typeof py === 'number') evidence.push({ lo: Math.ceil(((py - BASE / 2) * 12) / n), hi: Math.ceil(((py + BASE / 2) * 12) / n) - 1 });
          });
          const rule = ruleRange(cell(full, 'person_years', [stp, band]), truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo);
          judge(v, `${year} ${stp} ${band}`, evidence, rule, truthValue);
        }
      }
    }
    report('person-years', v);
    expect(v.attacked).toBeGreaterThan(0);
    expect(v.exact).toEqual([]);
    expect(v.narrowed).toEqual([]);
  });

  for (const service of SERVICES) {
    it(`${service}: DSR window differencing recovers no month's count`, async () => {
      const t = await eventsBy(service, `stp_code, ${ym}, age_band`);
      const totals = await eventsBy(service, `stp_code, ${ym}`);
      const pop = await researchPopulation();
      const weightSum = AGE_BANDS.reduce((s, b) => s + b.esp2013, 0);
      const v = newVerdict();
      for (const year of YEARS) {
        const all = months(`${year}-01`, `${year}-12`);
        const own = await table(service, 'count', `${year}-01`, `${year}-12`, ['stp', 'month']);
        const zeros = await table(service, 'count', `${year}-01`, `${year}-12`, ['stp', 'month', 'age_band']);
        const dsr: (PublishedTable | null)[] = [];
        for (let n = 1; n <= 12; n++) dsr.push(await table(service, 'dsr', all[0]!, all[n - 1]!, ['stp']));
        for (let i = 0; i < 12; i++) {
          const m = all[i]!;
          for (const stp of STP_CODES) {
            const truthValue = totals.get(`${stp}|${m}`) ?? 0;
            const published = cell(own!, 'count', [stp, m]);
            const rule = ruleRange(published, truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo);
            const evidence: Range[] = [];
            const a = dsr[i];
            const b = i > 0 ? dsr[i - 1] : undefined;
            if (a && (i === 0 || b) && rule.hi <= 40) {
              attacks++;
              const da = cell(a, 'dsr', [stp]);
              const db = i === 0 ? 0 : cell(b!, 'dsr', [stp]);
              if (typeof da === 'number' && typeof db === 'number') {
                const l = (i + 1) * da - i * db;
                const tol = 0.005 * (2 * i + 1) + 1e-9;
                // Bands published as 0 that month are known zeros; the rest are unknowns.
                const unknown = AGE_BANDS.filter((band) => cell(zeros!, 'count', [stp, m, band.band]) !== 0);
                if (unknown.length <= 4) {
                  const coef = unknown.map((band) => (12000 * band.esp2013) / weightSum / Math.max(1, pop.get(`${year}|${stp}|female|${band.band}`)! + pop.get(`${year}|${stp}|male|${band.band}`)!));
                  const found = new Set<number>();
                  forEachComposition(unknown.length, rule.lo, Math.min(rule.hi, 40), 40, (c) => {
                    const x = c.reduce((s, ci, k) => s + ci * coef[k]!, 0);
                    if (Math.abs(x - l) <= tol) found.add(c.reduce((s, ci) => s + ci, 0));
                  });
                  if (found.size > 0) evidence.push({ lo: Math.min(...found), hi: Math.max(...found) });
                }
              }
            }
            judge(v, `${stp} ${m}`, evidence, rule, truthValue);
          }
        }
        // The bands' truth was used only to sanity-check the attacker's zeros.
        for (const stp of STP_CODES) for (const m of all) for (const band of AGE_BAND_CODES) if (cell(zeros!, 'count', [stp, m, band]) === 0) expect(t.get(`${stp}|${m}|${band}`) ?? 0).toBe(0);
      }
      report(`${service} DSR differencing`, v);
      expect(v.exact).toEqual([]);
      expect(v.narrowed).toEqual([]);
    });
  }

  it('count, crude rate and DSR of the same cell give nothing finer than the rounded count', async () => {
    const pop = await researchPopulation();
    const weightSum = AGE_BANDS.reduce((s, b) => s + b.esp2013, 0);
    const v = newVerdict();
    let rateChecks = 0;
    for (const service of SERVICES) {
      const t = await eventsBy(service, `stp_code, sex, year(month)`);
      for (const year of YEARS) {
        const w = [`${year}-01`, `${year}-12`] as const;
        const count = (await table(service, 'count', ...w, ['stp', 'sex']))!;
        const crude = (await table(service, 'crude_rate', ...w, ['stp', 'sex']))!;
        const dsr = (await table(service, 'dsr', ...w, ['stp', 'sex']))!;
        const zeros = (await table(service, 'count', ...w, ['stp', 'sex', 'age_band']))!;
        for (const stp of STP_CODES) {
          for (const sex of ['female', 'male']) {
            const truthValue = t.get(`${stp}|${sex}|${year}`) ?? 0;
            const published = cell(count, 'count', [stp, sex]);
            expect(cell(crude, 'count', [stp, sex])).toEqual(published);
            expect(cell(dsr, 'count', [stp, sex])).toEqual(published);
            const rule = ruleRange(published, truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo);
            const evidence: Range[] = [];
            attacks += 2;
            // Crude rate x person-years gives back the count it was computed from: that must be
            // the published count (a rate from the exact count would carry the exact count).
            const r = cell(crude, 'crude_rate', [stp, sex]);
            const py = cell(crude, 'person_years', [stp, sex]);
            if (typeof r === 'number' && typeof py === 'number' && py > 0 && typeof published === 'number') {
              const lo = cell(crude, 'lo95', [stp, sex]);
              const hi = cell(crude, 'hi95', [stp, sex]);
              expect(typeof lo === 'number' && typeof hi === 'number' && lo <= r && r <= hi).toBe(true);
              const step = rateStep(r, lo as number, hi as number);
              expect(Math.abs((r * py) / 1000 - published)).toBeLessThanOrEqual(((step / 2) * py) / 1000 + 1e-6);
              rateChecks++;
            }
            // The DSR decoded over the bands not published as 0.
            const d = cell(dsr, 'dsr', [stp, sex]);
            const unknown = AGE_BANDS.filter((b) => cell(zeros, 'count', [stp, sex, b.band]) !== 0);
            if (typeof d === 'number' && unknown.length <= 5 && rule.hi <= 25) {
              const coef = unknown.map((b) => (1000 * b.esp2013) / weightSum / Math.max(1, pop.get(`${year}|${stp}|${sex}|${b.band}`) ?? 0));
              const found = new Set<number>();
              forEachComposition(unknown.length, rule.lo, rule.hi, 25, (c) => {
                if (Math.abs(c.reduce((s, ci, k) => s + ci * coef[k]!, 0) - d) <= 0.005 + 1e-9) found.add(c.reduce((s, ci) => s + ci, 0));
              });
              if (found.size > 0) evidence.push({ lo: Math.min(...found), hi: Math.max(...found) });
            }
            judge(v, `${service} ${year} ${stp} ${sex}`, evidence, rule, truthValue);
          }
        }
      }
    }
    report('count vs rate vs DSR', v);
    expect(rateChecks).toBeGreaterThan(20);
    expect(v.exact).toEqual([]);
    expect(v.narrowed).toEqual([]);
  });

  it('whether a DSR is withheld depends only on its published count (no 10-with-withheld-DSR channel)', async () => {
    let cells = 0;
    for (const service of SERVICES) {
      for (const by of [['stp'], ['stp', 'sex'], ['region', 'month'], ['stp', 'imd_decile']]) {
        const tb = (await table(service, 'dsr', '2022-01', '2023-12', by))!;
        attacks++;
        // Keyed by what the reader sees: the published count, and whether person-years are 0.
        const withheldAt = new Map<string, Set<boolean>>();
        const c = tb.columns.findIndex((x) => x.name === 'count');
        const py = tb.columns.findIndex((x) => x.name === 'person_years');
        const d = tb.columns.findIndex((x) => x.name === 'dsr');
        for (const row of tb.rows) {
          if (typeof row[c] !== 'number' || typeof row[py] !== 'number') continue;
          cells++;
          const key = `${row[c]}${row[py] === 0 ? ' over 0 person-years' : ''}`;
          const set = withheldAt.get(key) ?? new Set<boolean>();
          set.add(row[d] === '*');
          withheldAt.set(key, set);
        }
        const mixed = [...withheldAt].filter(([, s]) => s.size > 1).map(([p]) => p);
        expect(mixed, `${service} by ${by.join(',')}: published counts with both shown and withheld DSRs`).toEqual([]);
      }
    }
    expect(cells).toBeGreaterThan(100);
  });

  it('nested dimension sets (STP; STP x sex; STP x sex x age band) recover no withheld count', async () => {
    const v = newVerdict();
    let withheldEntries = 0;
    const sexes = ['female', 'male'];
    for (const service of SERVICES) {
      const t = await eventsBy(service, `stp_code, sex, age_band, year(month)`);
      for (const year of YEARS) {
        const w = [`${year}-01`, `${year}-12`] as const;
        const t1 = (await table(service, 'count', ...w, ['stp']))!;
        const t2 = (await table(service, 'count', ...w, ['stp', 'sex']))!;
        const t3 = (await table(service, 'count', ...w, ['stp', 'sex', 'age_band']))!;
        attacks++;
        const labels = [[...STP_CODES, 'Total'], [...sexes, 'Total'], [...AGE_BAND_CODES, 'Total']];
        // What the union of the three tables shows for each entry of the 3-D grid.
        const known = (s: string, x: string, a: string): number | null => {
          const seen = [cell(t3, 'count', [s, x, a])];
          if (a === 'Total') seen.push(cell(t2, 'count', [s, x]));
          if (a === 'Total' && x === 'Total') seen.push(cell(t1, 'count', [s]));
          const shown = seen.filter((p): p is number => typeof p === 'number');
          for (const p of shown) expect(p).toBe(shown[0]);
          return shown.length ? shown[0]! : null;
        };
        const truthOf = (s: string, x: string, a: string) => {
          let sum = 0;
          for (const ss of s === 'Total' ? STP_CODES : [s]) for (const xx of x === 'Total' ? sexes : [x]) for (const aa of a === 'Total' ? AGE_BAND_CODES : [a]) sum += t.get(`${ss}|${xx}|${aa}|${year}`) ?? 0;
          return sum;
        };
        // Every line of the grid with exactly one entry unknown in the union.
        const lines: string[][][] = [];
        for (const x of labels[1]!) for (const a of labels[2]!) lines.push(labels[0]!.map((s) => [s, x, a]));
        for (const s of labels[0]!) for (const a of labels[2]!) lines.push(labels[1]!.map((x) => [s, x, a]));
        for (const s of labels[0]!) for (const x of labels[1]!) lines.push(labels[2]!.map((a) => [s, x, a]));
        // Exact linear algebra over the union, as if every shown value were exact (stronger
        // than any real reader, who sees rounded values): no withheld entry may be determined.
        const sizes = [STP_CODES.length, 2, AGE_BAND_CODES.length];
        const status = new Uint8Array(gridLength(sizes));
        labels[0]!.forEach((s, i) => labels[1]!.forEach((x, j) => labels[2]!.forEach((a, k) => {
          status[gridIndex(sizes, [i, j, k])] = known(s, x, a) === null ? SECONDARY : SHOWN;
        })));
        const determined = recoverableEntries(sizes, status);
        expect(determined, `${service} ${year}: withheld entries determined by the three tables together`).toEqual([]);
        withheldEntries += status.filter((x) => x !== SHOWN).length;
        for (const line of lines) {
          const values = line.map(([s, x, a]) => known(s!, x!, a!));
          const missing = values.flatMap((p, i) => (p === null ? [i] : []));
          if (missing.length !== 1) continue;
          const m = missing[0]!;
          const isTotal = m === line.length - 1;
          const others = values.filter((p): p is number => p !== null);
          const total = isTotal ? 0 : others.at(-1)!;
          const sumCells = isTotal ? others.reduce((s, p) => s + p, 0) : others.slice(0, -1).reduce((s, p) => s + p, 0);
          const estimate = isTotal ? sumCells : total - sumCells;
          const h = Math.floor(BASE / 2) * others.length;
          const [s, x, a] = line[m]!;
          const truthValue = truthOf(s!, x!, a!);
          judge(v, `${service} ${year} ${s} ${x} ${a}`, [{ lo: Math.max(0, estimate - h), hi: estimate + h }], ruleRange('withheld', truthValue >= 1 && truthValue <= cfg.suppressTo, BASE, cfg.suppressTo), truthValue);
        }
      }
    }
    report('nested dimension sets', v);
    console.log(`nested dimension sets: ${withheldEntries} withheld entries checked by linear algebra`);
    expect(withheldEntries).toBeGreaterThan(100);
    expect(v.exact).toEqual([]);
    expect(v.narrowed).toEqual([]);
  });
});
