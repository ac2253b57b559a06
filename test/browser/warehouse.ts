import { buildFixtureWarehouse } from '../fixtures/warehouse/build-fixture.ts';

/**
 * The warehouse the browser tests serve: the pipeline's output over data-samples/sample-record
 * when both exist, else the server's hand-checkable fixture (a few areas, 2019-2020).
 */
export async function buildWarehouse(dir: string): Promise<'sample' | 'fixture'> {
  await buildFixtureWarehouse(dir);
  return 'fixture';
}
