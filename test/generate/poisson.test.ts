import { describe, expect, it } from 'vitest';
import { poissonLimits } from './poisson.ts';

describe('exact Poisson limits used by the calibration tests', () => {
  it('match R qpois(0.001, mean) and qpois(0.999, mean)', () => {
    // R: qpois(0.001, 10) = 2, qpois(0.999, 10) = 21; qpois(0.001, 1) = 0, qpois(0.999, 1) = 5.
    expect(poissonLimits(10, 0.001)).toEqual([2, 21]);
    expect(poissonLimits(1, 0.001)).toEqual([0, 5]);
  });
});
