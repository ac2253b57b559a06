/**
 * The pseudonymisation key. Only the HMAC pads (derived from it) are handed to DuckDB, as bound
 * BLOB parameters; the key itself never leaves this module and is never logged or written.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXIT_USAGE, PipelineError } from './errors.ts';

const BLOCK = 64; // SHA-256 block size in bytes
const MIN_KEY_BYTES = 32;

export interface PseudonymKey {
  /** First 16 hex digits of SHA-256(key): shows in the manifest that a key changed, reveals nothing. */
  readonly keyId: string;
  /** K0 xor 0x36.. and K0 xor 0x5c.. (RFC 2104), each 64 bytes. */
  readonly ipad: Uint8Array;
  readonly opad: Uint8Array;
}

export function keyFromBytes(key: Uint8Array): PseudonymKey {
  if (key.length < MIN_KEY_BYTES) {
    throw new PipelineError(`the key must hold at least ${MIN_KEY_BYTES} bytes (got ${key.length}); make one with: openssl rand -hex 32 > key.txt`, EXIT_USAGE);
  }
  const k0 = Buffer.alloc(BLOCK);
  (key.length > BLOCK ? createHash('sha256').update(key).digest() : Buffer.from(key)).copy(k0);
  const ipad = Buffer.alloc(BLOCK);
  const opad = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    ipad[i] = k0[i]! ^ 0x36;
    opad[i] = k0[i]! ^ 0x5c;
  }
  return { keyId: createHash('sha256').update(key).digest('hex').slice(0, 16), ipad, opad };
}

/** Reads a key file; a trailing newline (as editors and `echo` leave) is not part of the key. */
export function readKeyBytes(file: string): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new PipelineError(`cannot read the key file ${file} (${code})`, EXIT_USAGE, { cause });
  }
  let end = raw.length;
  while (end > 0 && (raw[end - 1] === 0x0a || raw[end - 1] === 0x0d)) end--;
  return raw.subarray(0, end);
}

export function loadKey(file: string): PseudonymKey {
  return keyFromBytes(readKeyBytes(file));
}

/** The reference implementation the SQL version is tested against. */
export function pseudonymOf(key: Uint8Array, nhsNumber: string): bigint {
  return createHmac('sha256', key).update(nhsNumber, 'utf8').digest().readBigInt64BE(0);
}

/**
 * HMAC-SHA256 in DuckDB SQL over a VARCHAR column, as 64 hex digits. Needs the bound parameters
 * `$ipad` and `$opad` (BLOBs from `PseudonymKey`).
 */
export function hmacHexSql(col: string): string {
  return `sha256($opad::BLOB || unhex(sha256($ipad::BLOB || encode(${col}))))`;
}

/**
 * The first 8 bytes of a hex digest (a column name, referenced twice, so pass a column and not an
 * expression) as a signed big-endian BIGINT, like Buffer.readBigInt64BE.
 */
export function bigintFromHexSql(hexCol: string): string {
  const u = `('0x' || substr(${hexCol}, 1, 16))::UBIGINT`;
  return `(CASE WHEN ${u} >= 9223372036854775808::UBIGINT THEN (${u}::HUGEINT - 18446744073709551616::HUGEINT)::BIGINT ELSE ${u}::BIGINT END)`;
}
