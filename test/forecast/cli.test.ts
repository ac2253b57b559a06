import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runForecastCli } from '../../forecast/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'forecast-cli-'));
async function run(csv: string | null, args: string[]): Promise<{ code: number; out: string; err: string; file: string }> {
  const input = join(dir, `in-${Math.random().toString(36).slice(2)}.csv`);
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}.csv`);
  if (csv !== null) writeFileSync(input, csv);
  let out = '';
  let err = '';
  const code = await runForecastCli(['--input', input, '--out', file, ...args], { stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err, file };
}

const monthly = ['series_id,period,value', ...Array.from({ length: 36 }, (_, i) => `s1,${2015 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${100 + (i % 12) * 3}`)].join('\n');

describe('forecast CLI', () => {
  it('writes the documented columns, one row per series and horizon, periods continuing the input', async () => {
    const r = await run(monthly, ['--horizon', '4', '--method', 'snaive']);
    expect(r.code).toBe(0);
    const lines = readFileSync(r.file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('series_id,horizon,period,forecast,lo80,hi80,lo95,hi95,method');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['s1,1,2018-01,100', 's1,2,2018-02,103', 's1,3,2018-03,106', 's1,4,2018-04,109']);
    expect(lines[1]!.endsWith(',snaive')).toBe(true);
  });

  it('accepts integer periods and gaps', async () => {
    const r = await run('series_id,period,value\nx,1,10\nx,2,NA\nx,3,12\nx,5,14\n', ['--horizon', '2']);
    expect(r.code).toBe(0);
    expect(readFileSync(r.file, 'utf8').split('\n')[1]!.startsWith('x,1,6,')).toBe(true);
  });

  it.each([
    ['bad header', 'id,period,value\na,1,2\n', /^forecast: .* line 1: header must be "series_id,period,value"/],
    ['bad period', 'series_id,period,value\na,2020-01,2\na,2020-13,3\n', /line 3: bad period "2020-13"/],
    ['non-numeric value', 'series_id,period,value\na,1,2\na,2,abc\n', /line 3: value "abc" is not a number/],
    ['duplicate period', 'series_id,period,value\na,1,2\nb,1,2\na,1,3\n', /line 4: duplicate period "1" for series "a" \(first on line 2\)/],
    ['mixed period styles', 'series_id,period,value\na,2020-01,2\na,7,3\n', /line 3: mixed period styles/],
    ['wrong field count', 'series_id,period,value\na,1\n', /line 2: expected 3 fields/],
    ['no data', 'series_id,period,value\n', /line 2: no data rows/],
  ])('rejects %s with a message naming the line and exit code 1', async (_name, csv, message) => {
    const r = await run(csv, ['--horizon', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--horizon', '0'], /--horizon must be at least 1/],
    [['--horizon', 'x'], /--horizon must be a whole number/],
    [['--horizon', '3', '--method', 'arima'], /--method must be one of auto/],
    [['--horizon', '3', '--covid-from', '2020-3'], /--covid-from must be YYYY-MM/],
    [['--horizon', '3', '--covid-from', '2021-05', '--covid-to', '2021-01'], /--covid-from must not be after --covid-to/],
  ])('rejects bad flags %j', async (args, message) => {
    const r = await run(monthly, args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('reports an unreadable input file without a stack trace', async () => {
    const r = await run(null, ['--horizon', '3']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^forecast: cannot read --input .*ENOENT/);
  });

  it('--no-covid fits the COVID months as observed', async () => {
    const rows = ['series_id,period,value'];
    for (let i = 0; i < 60; i++) rows.push(`a,${2017 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')},${i >= 38 && i <= 50 ? 10 : 100}`);
    const withCovid = await run(rows.join('\n'), ['--horizon', '1', '--method', 'snaive']);
    const without = await run(rows.join('\n'), ['--horizon', '1', '--method', 'snaive', '--no-covid']);
    // 2022-01's seasonal naive is 2021-01: a COVID month (10) unless replaced by the counterfactual (100).
    expect(readFileSync(withCovid.file, 'utf8').split('\n')[1]!.split(',')[3]).toBe('100');
    expect(readFileSync(without.file, 'utf8').split('\n')[1]!.split(',')[3]).toBe('10');
  });
});
