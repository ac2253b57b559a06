/**
 * A growable output buffer that NDJSON is written into byte by byte. Encounter lines are the hot
 * path: writing their constant fragments and ASCII digits straight into a Buffer avoids building
 * (and later flattening) millions of concatenated strings, which cost more than the simulation.
 */
import { civilFromDays, daysFromCivil } from './calendar.ts';

const FIRST_DAY = daysFromCivil(1880, 1, 1);
const LAST_DAY = daysFromCivil(2100, 1, 1);
let dateTable: Uint8Array | null = null;

/** `YYYY-MM-DD` bytes of every day 1880-2099, 10 bytes each (about 0.8 MB, built once). */
function dates(): Uint8Array {
  if (dateTable) return dateTable;
  const table = new Uint8Array((LAST_DAY - FIRST_DAY) * 10);
  for (let day = FIRST_DAY; day < LAST_DAY; day++) {
    const [y, m, d] = civilFromDays(day);
    const s = `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
    for (let k = 0; k < 10; k++) table[(day - FIRST_DAY) * 10 + k] = s.charCodeAt(k);
  }
  dateTable = table;
  return table;
}

export const asciiBytes = (s: string): Uint8Array => Buffer.from(s, 'latin1');

export class ByteBuffer {
  buf: Buffer;
  pos = 0;

  constructor(private readonly initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Only for ASCII text (all we write): latin1 is a straight byte copy. */
  text(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  /** n in decimal, zero-padded to at least `width` digits. */
  digits(n: number, width: number): void {
    let len = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) len++;
    if (len < width) len = width;
    const b = this.buf;
    for (let i = this.pos + len - 1; i >= this.pos; i--) {
      b[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.pos += len;
  }

  /** FHIR instant `YYYY-MM-DDThh:mm:00Z` of an absolute minute (day * 1440 + minute of day). */
  instant(absMinute: number): void {
    const day = Math.floor(absMinute / 1440);
    const minute = absMinute - day * 1440;
    const table = dates();
    const b = this.buf;
    let p = this.pos;
    const from = (day - FIRST_DAY) * 10;
    for (let k = 0; k < 10; k++) b[p++] = table[from + k]!;
    const h = Math.floor(minute / 60);
    const m = minute - h * 60;
    b[p++] = 84; // T
    b[p++] = 48 + Math.floor(h / 10);
    b[p++] = 48 + (h % 10);
    b[p++] = 58; // :
    b[p++] = 48 + Math.floor(m / 10);
    b[p++] = 48 + (m % 10);
    b[p++] = 58;
    b[p++] = 48;
    b[p++] = 48;
    b[p++] = 90; // Z
    this.pos = p;
  }

  private readonly spare: Buffer[] = [];

  /**
   * Hands over the bytes written so far and continues in a spare buffer. The caller gives the
   * returned buffer back with `recycle` once the stream has written it: reusing a few buffers
   * keeps V8 from collecting garbage for every megabyte of off-heap memory.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(this.initialBytes);
    this.pos = 0;
    return out;
  }

  recycle(used: Buffer): void {
    if (used.buffer.byteLength >= this.initialBytes && this.spare.length < 16) this.spare.push(Buffer.from(used.buffer, used.byteOffset, used.buffer.byteLength - used.byteOffset));
  }
}
