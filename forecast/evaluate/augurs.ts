import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync as initMstl, MSTL } from '@bsull/augurs/mstl';
import { Z95 } from '../metrics.ts';
import type { MethodOutput } from '../methods/types.ts';

/**
 * @bsull/augurs 0.10 MSTL with an AutoETS trend model, for comparison with our own methods (its
 * AutoETS alone has no seasonal models: 'AAA' gives "no model found"). The WASM is loaded with
 * initSync from the package file, since the default init() fetches.
 */
let ready = false;
function init(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const wasm = require.resolve('@bsull/augurs/mstl').replace(/mstl\.js$/, 'mstl_bg.wasm');
  initMstl({ module: readFileSync(wasm) });
  ready = true;
}

export function augursMstl(y: readonly number[], m: number, h: number): MethodOutput {
  init();
  const model = MSTL.ets([m]);
  try {
    model.fit(Float64Array.from(y));
    const f = model.predict(h, 0.95);
    const upper = f.intervals?.upper ?? f.point;
    return { point: f.point, sd: f.point.map((p, i) => (upper[i]! - p) / Z95), fitted: y.map(() => Number.NaN), detail: 'augurs MSTL + AutoETS' };
  } finally {
    model.free();
  }
}
