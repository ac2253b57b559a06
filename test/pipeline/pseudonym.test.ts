import { blobValue, DuckDBInstance } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../pipelines/ingest/errors.ts';
import { bigintFromHexSql, hmacHexSql, keyFromBytes, pseudonymOf, readKeyBytes, type PseudonymKey } from '../../pipelines/ingest/key.ts';
import { cleanTempDirs, tempDir } from './helpers.ts';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

afterAll(cleanTempDirs);

async function sqlPseudonyms(key: PseudonymKey, values: string[]): Promise<bigint[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    await c.run('CREATE TABLE t (i INTEGER, nhs VARCHAR)');
    for (const [i, v] of values.entries()) await c.run('INSERT INTO t VALUES ($i, $v)', { i, v });
    const reader = await c.runAndReadAll(
      `SELECT ${bigintFromHexSql('h')} AS pid FROM (SELECT i, ${hmacHexSql('nhs')} AS h FROM t) ORDER BY i`,
      { ipad: blobValue(key.ipad), opad: blobValue(key.opad) },
    );
    return reader.getRowObjectsJS().map((r) => r['pid'] as bigint);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const NHS = ['9990000018', '9990000026', '9434765919', '4010232137', '0000000000', 'x', 'é accented', 'back\\x41slash'];

describe('pseudonyms', () => {
  it('DuckDB HMAC-SHA256 equals Node crypto.createHmac, for short, block-size and long keys', async () => {
    for (const key of [Buffer.from('k'.repeat(32)), Buffer.alloc(64, 7), Buffer.from('a-much-longer-key-than-one-sha256-block-'.repeat(3))]) {
      const sql = await sqlPseudonyms(keyFromBytes(key), NHS);
      expect(sql).toEqual(NHS.map((n) => pseudonymOf(key, n)));
    }
  });

  it('covers both signs of the 64-bit pseudonym (the unsigned-to-signed step)', async () => {
    const key = Buffer.from('sign-test-key-0123456789abcdef0123');
    const values = Array.from({ length: 40 }, (_, i) => `99900${String(i).padStart(5, '0')}`);
    const pids = await sqlPseudonyms(keyFromBytes(key), values);
    expect(pids.some((p) => p < 0n) && pids.some((p) => p > 0n)).toBe(true);
    expect(pids).toEqual(values.map((v) => pseudonymOf(key, v)));
  });

  it('same key gives the same pseudonym, a different key a different one', () => {
    const a = Buffer.from('A'.repeat(40));
    const b = Buffer.from('B'.repeat(40));
    expect(pseudonymOf(a, '9990000018')).toBe(pseudonymOf(Buffer.from('A'.repeat(40)), '9990000018'));
    expect(pseudonymOf(a, '9990000018')).not.toBe(pseudonymOf(b, '9990000018'));
  });

  it('key id is the first 16 hex digits of SHA-256 of the key and does not contain the key', () => {
    const key = Buffer.from('z'.repeat(33));
    const { keyId } = keyFromBytes(key);
    expect(keyId).toBe(createHash('sha256').update(key).digest('hex').slice(0, 16));
    expect(keyId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a key shorter than 32 bytes, and an unreadable key file, with a message', () => {
    expect(() => keyFromBytes(Buffer.from('short'))).toThrow(PipelineError);
    expect(() => keyFromBytes(Buffer.from('short'))).toThrow(/at least 32 bytes/);
    expect(() => readKeyBytes('/nonexistent/key.txt')).toThrow(/cannot read the key file \/nonexistent\/key.txt \(ENOENT\)/);
  });

  it('a trailing newline in the key file is not part of the key', () => {
    const dir = tempDir();
    const f = path.join(dir, 'k.txt');
    writeFileSync(f, 'k'.repeat(40) + '\r\n');
    expect(readKeyBytes(f).toString()).toBe('k'.repeat(40));
  });
});
