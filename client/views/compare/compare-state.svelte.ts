import type { Connector } from '../../lib/connector.ts';
import type { DecodedTable, Row } from '../../lib/arrow-decode.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { REGIONS, STPS } from '../../../domain/geography.ts';
import type { CompareState } from './compare-url.ts';

/** The compare view's server data; each part loads and fails on its own. */
export class CompareData {
  areas = new Resource<DecodedTable>();
  deciles = new Resource<DecodedTable>();
  trend = new Resource<Row[]>();

  constructor(private readonly connector: Connector) {}

  loadWindow(s: CompareState): void {
    const q = { service: s.service, from: s.from, to: s.to };
    void this.areas.load((signal) => this.connector.compare(q, { signal }));
    void this.deciles.load((signal) => this.connector.compare({ ...q, by: 'imd_decile' }, { signal }));
  }

  /** Monthly crude rates over the whole period, one request per area (all in parallel). */
  loadTrend(s: Pick<CompareState, 'service' | 'trendLevel'>, period: { from: string; to: string }): void {
    const areas = s.trendLevel === 'region' ? REGIONS.map((r) => ({ code: r.code, name: r.name })) : STPS.map((x) => ({ code: x.code, name: x.name }));
    void this.trend.load(async (signal) => {
      const tables = await Promise.all(
        areas.map((a) =>
          this.connector.demand(
            { service: s.service, [s.trendLevel === 'region' ? 'region' : 'stp']: a.code, from: period.from, to: period.to, by: ['month'], measure: 'crude_rate' },
            { signal },
          ),
        ),
      );
      return tables.flatMap((t, i) => t.rows.map((r) => ({ ...r, area_name: areas[i]!.name })));
    });
  }
}
