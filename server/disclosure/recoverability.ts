import { gridLines } from './grid.ts';
import { SHOWN } from './suppress.ts';

/**
 * Exact check that no withheld entry is determined by the published ones.
 *
 * Every line says: sum of its cells - its total = 0. Moving the published entries to the right
 * hand side leaves a linear system A x = b in the withheld entries x. Entry j is recoverable
 * exactly when every solution of A x = 0 has x_j = 0 (for a 2-D table: when j is a bridge of the
 * graph of withheld entries). The line rule alone misses cases such as two blocks of withheld
 * cells joined by one cell, which is why this audit runs after it.
 *
 * Method: sparse elimination to echelon form, then two null-space vectors drawn by giving the
 * free variables pseudo-random values (fixed seed, so the result is deterministic). A free entry
 * shows up non-zero in a random null vector except with probability 1/p, so the only error the
 * draw can make is to call a free entry recoverable (more suppression, never less). Arithmetic
 * is modulo a prime below 2^26 so products stay exact in doubles; the rank modulo p equals the
 * rank over the rationals unless p divides every maximal minor of a 0/±1 matrix.
 */
const P = 67108859;
const DRAWS = 2;

function mod(a: number): number {
  const r = a % P;
  return r < 0 ? r + P : r;
}

function inverse(a: number): number {
  let result = 1;
  let base = mod(a);
  let e = P - 2;
  while (e > 0) {
    if (e & 1) result = (result * base) % P;
    base = (base * base) % P;
    e = Math.floor(e / 2);
  }
  return result;
}

/** Sparse row: columns ascending, with values; the first column is the row's leading entry. */
interface Row {
  cols: number[];
  vals: number[];
}

/** row - factor * pivotRow, both ascending; returns a new ascending row without zeros. */
function subtract(row: Row, factor: number, pivot: Row): Row {
  const cols: number[] = [];
  const vals: number[] = [];
  let i = 0;
  let j = 0;
  while (i < row.cols.length || j < pivot.cols.length) {
    const ci = i < row.cols.length ? row.cols[i]! : Infinity;
    const cj = j < pivot.cols.length ? pivot.cols[j]! : Infinity;
    let v: number;
    let c: number;
    if (ci === cj) {
      c = ci;
      v = mod(row.vals[i++]! - factor * pivot.vals[j++]!);
    } else if (ci < cj) {
      c = ci;
      v = row.vals[i++]!;
    } else {
      c = cj;
      v = mod(-factor * pivot.vals[j++]!);
    }
    if (v !== 0) {
      cols.push(c);
      vals.push(v);
    }
  }
  return { cols, vals };
}

/** Echelon form: per leading column (a grid index), its row, normalised to 1 there. */
function echelon(rows: Row[], length: number): (Row | undefined)[] {
  const pivots = new Array<Row | undefined>(length);
  for (let row of rows) {
    while (row.cols.length > 0) {
      const lead = row.cols[0]!;
      const pivotRow = pivots[lead];
      if (!pivotRow) {
        const scale = inverse(row.vals[0]!);
        pivots[lead] = { cols: row.cols, vals: row.vals.map((v) => (v * scale) % P) };
        break;
      }
      row = subtract(row, row.vals[0]!, pivotRow);
    }
  }
  return pivots;
}

function seededValues(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    // xorshift32: deterministic, and good enough to avoid the 1/p coincidences that matter here.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return 1 + (state % (P - 1));
  };
}

/** Grid indices of withheld entries whose exact value follows from the published table. */
export function recoverableEntries(sizes: readonly number[], status: Uint8Array): number[] {
  const rows: Row[] = [];
  for (const line of gridLines(sizes)) {
    const entries: [number, number][] = [];
    for (const i of line.cells) if (status[i] !== SHOWN) entries.push([i, 1]);
    if (status[line.total] !== SHOWN) entries.push([line.total, P - 1]);
    if (entries.length === 0) continue;
    entries.sort((a, b) => a[0] - b[0]);
    rows.push({ cols: entries.map((e) => e[0]), vals: entries.map((e) => e[1]) });
  }
  const hidden: number[] = [];
  status.forEach((s, i) => {
    if (s !== SHOWN) hidden.push(i);
  });
  const pivots = echelon(rows, status.length);
  const free = new Uint8Array(status.length);
  for (let draw = 0; draw < DRAWS; draw++) {
    const next = seededValues(0x9e3779b9 + draw);
    const x = new Float64Array(status.length);
    for (const j of hidden) if (!pivots[j]) x[j] = next();
    // Back-substitution from the last pivot: a pivot row's other columns are all later ones.
    for (let k = hidden.length - 1; k >= 0; k--) {
      const j = hidden[k]!;
      const row = pivots[j];
      if (!row) continue;
      let sum = 0;
      for (let t = 1; t < row.cols.length; t++) sum = (sum + row.vals[t]! * x[row.cols[t]!]!) % P;
      x[j] = mod(-sum);
    }
    for (const j of hidden) if (x[j] !== 0) free[j] = 1;
  }
  return hidden.filter((j) => free[j] === 0);
}
