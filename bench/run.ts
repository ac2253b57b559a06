/**
 * `npm run bench`: runs every `bench/*.bench.ts` one after another (never in parallel: the
 * machine has two cores and the figures compare runs made side by side), then prints where
 * each wrote its JSON. `npm run bench -- generate pipeline` runs only the named ones. `scale`
 * (generator and pipeline at 1%, 3% and 10% of the population: about 40 minutes) runs only when
 * named: `npm run bench -- scale`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const order = ['generate', 'pipeline', 'api', 'forecast', 'client', 'scale'];
const onlyWhenNamed = ['scale'];
const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
const found = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .filter((name) => (wanted.length === 0 ? !onlyWhenNamed.includes(name) : wanted.includes(name)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const unknown = wanted.filter((w) => !found.includes(w));
if (unknown.length > 0) {
  console.error(`No such bench: ${unknown.join(', ')} (have: ${readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).join(', ')})`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of found) {
  console.log(`\n=== bench: ${name} ===`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, `${name}.bench.ts`)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: 'UTC' },
  });
  console.log(`=== ${name}: ${run.status === 0 ? 'done' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s; results in bench/results/${name}.json ===`);
  if (run.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`Benches that failed: ${failed.join(', ')}`);
  process.exit(1);
}
