/**
 * Unique, valid (modulus 11) NHS numbers for patient indexes 0, 1, 2, ...: the i-th valid number of
 * a range that is never issued to real people. Up to about 909,000 patients the 999 test range
 * (999 000 000x-999 999 999x) suffices; larger records use 900 000 000x upwards, still all 9s-led.
 * Patients are generated in index order, so a cursor gives the i-th valid number cheaply.
 */
import { nhsCheckDigit } from '../../domain/nhs-number.ts';

const TEST_RANGE_START = 999_000_000;
let capacity = 0;

/** Valid numbers in the 999 range (about 10 of every 11 candidates; counted once, on first use). */
export function testRangeCapacity(): number {
  if (capacity === 0) capacity = countValid(TEST_RANGE_START, 1_000_000_000);
  return capacity;
}
const WIDE_RANGE_START = 900_000_000;

function countValid(from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (nhsCheckDigit(String(k)) !== null) n++;
  return n;
}

export class NhsNumberSequence {
  private cursor: number;

  constructor(totalPatients: number) {
    this.cursor = totalPatients <= testRangeCapacity() ? TEST_RANGE_START : WIDE_RANGE_START;
    if (totalPatients > 90_000_000) throw new RangeError('at most 90 million patients');
  }

  /** Moves past the next `n` numbers (a shard starts at its first patient's number). */
  skip(n: number): this {
    for (let i = 0; i < n; i++) this.next();
    return this;
  }

  next(): string {
    for (;;) {
      const nine = String(this.cursor++);
      const check = nhsCheckDigit(nine);
      if (check !== null) return nine + check;
    }
  }
}
