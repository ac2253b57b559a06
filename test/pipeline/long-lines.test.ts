/**
 * A single very long NDJSON line (a record with a giant string) is one reject, `line_too_long`,
 * with its file and line in the quarantine; the run goes on, reconciles and publishes the same
 * tables as without it. Before, DuckDB's line reader stopped the whole run ("CSV Error on Line: N").
 */
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputScans } from '../../pipelines/ingest/inputs.ts';
import type { Manifest } from '../../pipelines/ingest/manifest.ts';
import { MAX_LINE_BYTES, READER_MAX_LINE_SIZE, REJECTED_LINE_PREFIX } from '../../pipelines/ingest/read-lines.ts';
import { sanitiseLines, tooLongPlaceholder } from '../../pipelines/ingest/sanitise-lines.ts';
import { cleanTempDirs, listFiles, run, tempDir, validFixture } from './helpers.ts';

interface Reject {
  reason: string;
  file: string;
  line: number;
  record: unknown;
}

type Type = 'Patient' | 'Encounter';

const fixtureLines = (type: Type) => readFileSync(path.join(validFixture, `${type}.000.ndjson`), 'utf8').split('\n').filter(Boolean);

/** Line 2 of the fixture's file as a new record (own id, no identifier) padded with a giant string to `bytes` bytes. */
function giantRecord(type: Type, bytes: number, id = `${type.toLowerCase()}-giant`): string {
  const rec = JSON.parse(fixtureLines(type)[1]!) as Record<string, unknown>;
  rec['id'] = id;
  delete rec['identifier'];
  const shell = JSON.stringify({ ...rec, note: '' });
  return JSON.stringify({ ...rec, note: 'x'.repeat(bytes - shell.length) });
}

/** The valid fixture with `lines` inserted into `type`'s file at line `at` (1-based), optionally gzipped. */
function inputWith(root: string, type: Type, insert: { at: number; text: string | Buffer }[], gzip = false): string {
  const input = path.join(root, 'input');
  cpSync(validFixture, input, { recursive: true });
  const file = path.join(input, `${type}.000.ndjson`);
  const lines: (string | Buffer)[] = fixtureLines(type);
  for (const { at, text } of insert) lines.splice(at - 1, 0, text);
  const bytes = Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')]));
  rmSync(file);
  if (gzip) writeFileSync(`${file}.gz`, gzipSync(bytes));
  else writeFileSync(file, bytes);
  return input;
}

function rejectsOf(manifest: Manifest): Reject[] {
  const q = manifest.quarantine.folder;
  return readdirSync(q).flatMap((f) =>
    readFileSync(path.join(q, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Reject),
  );
}

const parquetBytes = (warehouse: string) =>
  Object.fromEntries(listFiles(warehouse).filter((f) => f.endsWith('.parquet')).map((f) => [f, readFileSync(path.join(warehouse, f)).toString('base64')]));

let clean: { manifest: Manifest; parquet: Record<string, string> };

beforeAll(async () => {
  const root = tempDir();
  clean = { manifest: (await run(validFixture, root)).manifest, parquet: parquetBytes(path.join(root, 'warehouse')) };
  expect(Object.values(clean.manifest.resources).every((c) => c.rejected === 0)).toBe(true);
});
afterAll(cleanTempDirs);

describe('a very long line is one line_too_long reject and the run publishes', () => {
  const cases = (['Patient', 'Encounter'] as const).flatMap((type) =>
    [3_000_000, 30_000_000].flatMap((bytes) => [false, true].map((gzip) => ({ type, bytes, gzip }))),
  );
  it.each(cases)('$type, a $bytes-byte line, gzip $gzip', async ({ type, bytes, gzip }) => {
    const root = tempDir();
    const input = inputWith(root, type, [{ at: 2, text: giantRecord(type, bytes) }], gzip);
    const result = await run(input, root);
    rmSync(input, { recursive: true, force: true }); // 30 MB: gone as soon as it is read
    expect(result.status).toBe('published');
    const m = result.manifest;
    const file = `${type}.000.ndjson${gzip ? '.gz' : ''}`;
    const c = m.resources[type]!;
    expect(c.rejectedByReason).toEqual({ line_too_long: 1 });
    expect(c.read).toBe(clean.manifest.resources[type]!.read + 1);
    expect(c.loaded).toBe(clean.manifest.resources[type]!.loaded);
    expect(c.read).toBe(c.loaded + c.rejected);
    expect(m.inputs.find((i) => i.file === file)).toMatchObject({ lines: clean.manifest.resources[type]!.read + 1, blankLines: 0, invalidUtf8Lines: 0 });
    const rejects = rejectsOf(m);
    expect(rejects.map((r) => [r.reason, r.file, r.line])).toEqual([['line_too_long', file, 2]]);
    // The quarantine keeps the start of the line as text, not 30 MB.
    expect(rejects[0]!.record).toBe(giantRecord(type, bytes).slice(0, REJECTED_LINE_PREFIX));
    expect(m.quarantine.files).toEqual([{ file: `${type}.000.rejects.ndjson`, rejects: 1 }]);
    // Nothing else changed: the same tables, byte for byte, as the run without the line.
    expect(parquetBytes(path.join(root, 'warehouse'))).toEqual(clean.parquet);
  });
});

describe('the limit', () => {
  it('is 2 MiB, below DuckDB reader limit we set, and the sizes tested straddle both', () => {
    expect(MAX_LINE_BYTES).toBe(2 * 1024 * 1024);
    expect(READER_MAX_LINE_SIZE).toBeGreaterThan(MAX_LINE_BYTES);
    // 3 MB is read by DuckDB and rejected in SQL; 30 MB makes the reader fail and goes through the Node copy
    expect(3_000_000).toBeLessThan(READER_MAX_LINE_SIZE);
    expect(30_000_000).toBeGreaterThan(READER_MAX_LINE_SIZE);
  });

  it.each(['Patient', 'Encounter'] as const)('%s: a line of exactly the limit loads, one byte more is rejected (CR of a CRLF not counted)', async (type) => {
    const root = tempDir();
    const atLimit = giantRecord(type, MAX_LINE_BYTES);
    const over = giantRecord(type, MAX_LINE_BYTES + 1, 'giant-2');
    const crlf = `${giantRecord(type, MAX_LINE_BYTES, 'giant-3')}\r`;
    expect([Buffer.byteLength(atLimit), Buffer.byteLength(over), Buffer.byteLength(crlf)]).toEqual([MAX_LINE_BYTES, MAX_LINE_BYTES + 1, MAX_LINE_BYTES + 1]);
    const input = inputWith(root, type, [{ at: 2, text: atLimit }, { at: 3, text: over }, { at: 4, text: crlf }]);
    const m = (await run(input, root)).manifest;
    const rejects = rejectsOf(m);
    expect(rejects.filter((r) => r.reason === 'line_too_long').map((r) => r.line)).toEqual([3]);
    const c = m.resources[type]!;
    expect(c.read).toBe(c.loaded + c.rejected);
    expect(c.read).toBe(clean.manifest.resources[type]!.read + 3);
    // A Patient without an NHS number is rejected for that; an Encounter giant loads twice over (two ids).
    if (type === 'Encounter') expect(c.loaded).toBe(clean.manifest.resources[type]!.loaded + 2);
    else expect(c.rejectedByReason).toEqual({ line_too_long: 1, missing_nhs_number: 2 });
  });

  it('Encounter fast path (no CR in the file): a line of exactly the limit loads', async () => {
    const root = tempDir();
    const input = inputWith(root, 'Encounter', [{ at: 2, text: giantRecord('Encounter', MAX_LINE_BYTES) }]);
    const m = (await run(input, root)).manifest;
    expect(m.resources['Encounter']).toMatchObject({ rejected: 0, loaded: clean.manifest.resources['Encounter']!.loaded + 1 });
  });

  it('several long lines and invalid UTF-8 in one file, and a file that is one long unterminated line', async () => {
    const root = tempDir();
    const badUtf8 = Buffer.concat([Buffer.from(fixtureLines('Patient')[0]!.replace('p-000001', 'p-utf8').slice(0, -2)), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const input = inputWith(root, 'Patient', [
      { at: 2, text: giantRecord('Patient', 30_000_000) },
      { at: 4, text: badUtf8 },
      { at: 6, text: giantRecord('Patient', 3_000_000) },
    ]);
    writeFileSync(path.join(input, 'Condition.001.ndjson'), ' '.repeat(5_000_000)); // not even JSON, no line end: still one reject
    const m = (await run(input, root)).manifest;
    const rejects = rejectsOf(m).map((r) => [r.file, r.line, r.reason]);
    expect(rejects).toEqual(
      expect.arrayContaining([
        ['Patient.000.ndjson', 2, 'line_too_long'],
        ['Patient.000.ndjson', 4, 'invalid_utf8'],
        ['Patient.000.ndjson', 6, 'line_too_long'],
        ['Condition.001.ndjson', 1, 'line_too_long'],
      ]),
    );
    expect(m.resources['Patient']!.rejectedByReason).toEqual({ line_too_long: 2, invalid_utf8: 1 });
    expect(m.resources['Condition']!.rejectedByReason).toEqual({ line_too_long: 1 });
    expect(m.inputs.find((i) => i.file === 'Patient.000.ndjson')).toMatchObject({ invalidUtf8Lines: 1, blankLines: 0 });
    expect(m.inputs.find((i) => i.file === 'Condition.001.ndjson')).toMatchObject({ lines: 1, blankLines: 0 });
    for (const c of Object.values(m.resources)) expect(c.read).toBe(c.loaded + c.rejected);
  });
});

describe('the Node side', () => {
  it('sanitiseLines cuts long lines to a one-line prefix, keeps the numbering and the other lines byte for byte', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'in.ndjson');
    const long = `{"a":"\r\u0001${'é'.repeat(600)}${'x'.repeat(2000)}"}`;
    writeFileSync(src, `{"ok":1}\r\n${long}\n\n{"ok":2}\n${'y'.repeat(50)}\r\n${'z'.repeat(51)}`);
    const out = path.join(dir, 'out.ndjson');
    const r = await sanitiseLines(src, out, 50);
    expect(r).toEqual({ invalidUtf8: [], tooLong: [2, 6] });
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe('{"ok":1}\r');
    expect(lines[1]).toBe(`{"a":"\uFFFD\uFFFD${'é'.repeat(600)}${'x'.repeat(REJECTED_LINE_PREFIX - 608)}`);
    expect(lines.slice(2)).toEqual(['', '{"ok":2}', `${'y'.repeat(50)}\r`, tooLongPlaceholder(Buffer.from('z'.repeat(51))).toString(), '']);
    // a gzip source, read the same way
    writeFileSync(`${src}.gz`, gzipSync(readFileSync(src)));
    expect(await sanitiseLines(`${src}.gz`, out, 50)).toEqual(r);
  });

  it("the fast path's line count is null for a file with a line over the limit, plain or gzip", async () => {
    const dir = tempDir();
    const ok = path.join(dir, 'ok.ndjson');
    const long = path.join(dir, 'long.ndjson');
    writeFileSync(ok, `a\n${'x'.repeat(MAX_LINE_BYTES)}\nb`);
    writeFileSync(long, `a\n${'x'.repeat(MAX_LINE_BYTES + 1)}\nb\n`);
    writeFileSync(`${long}.gz`, gzipSync(readFileSync(long)));
    const scan = inputScans();
    expect(await scan.fastPathLines(ok)).toBe(3);
    expect(await scan.fastPathLines(long)).toBeNull();
    expect(await scan.fastPathLines(`${long}.gz`)).toBeNull();
  });
});
