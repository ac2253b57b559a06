/**
 * NHS number check digit (modulus 11), as specified by NHS Digital's NHS Number standard:
 * weights 10..2 over the first nine digits; check = 11 - (sum mod 11); 11 becomes 0 and 10 is
 * never issued.
 */
export function nhsCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('need exactly nine digits');
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return nhsCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

/** The same rule as a portable SQL boolean expression over a VARCHAR column (DuckDB, Spark, Trino). */
export function nhsNumberValidSql(col: string): string {
  const digit = (i: number) => `TRY_CAST(substr(${col}, ${i + 1}, 1) AS INTEGER)`;
  const sum = Array.from({ length: 9 }, (_, i) => `${digit(i)} * ${10 - i}`).join(' + ');
  return `(regexp_full_match(${col}, '[0-9]{10}') AND ((11 - ((${sum}) % 11)) % 11) = ${digit(9)} AND (11 - ((${sum}) % 11)) <> 10)`;
}
