import type { Connector } from '../../lib/connector.ts';
import type { DecodedTable, Row } from '../../lib/arrow-decode.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { rewindForD3, type GeoCollection, type GeoFeature } from '../../lib/geo.ts';
import { previousYear } from '../../lib/periods.ts';
import { SERVICE_CODES } from '../../lib/areas.ts';
import type { OverviewState } from './overview-url.ts';
import stpsUrl from '../../../data-samples/reference/stps.geojson?url';
import regionsUrl from '../../../data-samples/reference/regions.geojson?url';

export interface Shapes {
  stps: GeoFeature[];
  regions: GeoFeature[];
}

async function perService(fetch: (service: string) => Promise<DecodedTable>): Promise<Record<string, Row[]>> {
  const tables = await Promise.all(SERVICE_CODES.map((s) => fetch(s)));
  return Object.fromEntries(SERVICE_CODES.map((s, i) => [s, tables[i]!.rows]));
}

export class OverviewData {
  shapes = new Resource<Shapes>();
  rates = new Resource<DecodedTable>();
  figures = new Resource<{ current: Record<string, Row[]>; previous: Record<string, Row[] | null> }>();
  trend = new Resource<Record<string, Row[]>>();

  constructor(private readonly connector: Connector) {}

  loadShapes(): void {
    void this.shapes.load(async (signal) => {
      const [stps, regions] = await Promise.all([
        this.connector.asset<GeoCollection>(stpsUrl, { signal }),
        this.connector.asset<GeoCollection>(regionsUrl, { signal }),
      ]);
      return { stps: rewindForD3(stps), regions: rewindForD3(regions) };
    });
  }

  loadRates(s: Pick<OverviewState, 'service' | 'from' | 'to'>): void {
    void this.rates.load((signal) => this.connector.compare({ service: s.service, from: s.from, to: s.to }, { signal }));
  }

  loadFigures(window: { from: string; to: string }, period: { from: string; to: string }): void {
    const before = previousYear(window);
    const hasBefore = before.from >= period.from;
    void this.figures.load(async (signal) => {
      const q = (service: string, w: { from: string; to: string }) => this.connector.demand({ service, by: ['region'], measure: 'crude_rate', ...w }, { signal });
      const [current, previous] = await Promise.all([
        perService((s) => q(s, window)),
        hasBefore ? perService((s) => q(s, before)) : Promise.resolve(Object.fromEntries(SERVICE_CODES.map((s) => [s, null]))),
      ]);
      return { current, previous };
    });
  }

  loadTrend(period: { from: string; to: string }): void {
    void this.trend.load((signal) =>
      perService((service) => this.connector.demand({ service, by: ['month', 'region'], measure: 'crude_rate', from: period.from, to: period.to }, { signal })),
    );
  }
}
