/**
 * Argument checks shared by the statistics functions. They throw RangeError with a message that
 * names the argument, because a NaN rate silently reaching a planner's spreadsheet is worse than a
 * failed request.
 */

export function requireFinite(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
  }
}

/** Event counts: finite and >= 0. Non-integers are allowed (pooled or weighted counts). */
export function requireCount(name: string, value: number): void {
  requireFinite(name, value);
  if (value < 0) throw new RangeError(`${name} must be >= 0, got ${value}`);
}

/** Populations and person-years: finite and > 0 (a rate over nobody is undefined). */
export function requirePositive(name: string, value: number): void {
  requireFinite(name, value);
  if (value <= 0) throw new RangeError(`${name} must be > 0, got ${value}`);
}

/** Confidence level as a fraction strictly between 0 and 1 (0.95, 0.998). */
export function requireConfidence(value: number): void {
  requireFinite('confidence', value);
  if (value <= 0 || value >= 1) {
    throw new RangeError(`confidence must be between 0 and 1 exclusive (e.g. 0.95), got ${value}`);
  }
}

/** Probability strictly inside (0, 1): quantiles at 0 and 1 are infinite. */
export function requireOpenProbability(name: string, value: number): void {
  requireFinite(name, value);
  if (value <= 0 || value >= 1) throw new RangeError(`${name} must be between 0 and 1 exclusive, got ${value}`);
}
