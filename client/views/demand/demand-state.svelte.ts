import type { Connector } from '../../lib/connector.ts';
import type { DecodedTable } from '../../lib/arrow-decode.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { addMonths } from '../../lib/format.ts';
import { normaliseForecast, type ForecastModel } from './forecast-model.ts';
import type { DemandState } from './demand-url.ts';

type AreaQuery = { region: string } | { stp: string };

export function areaQuery(s: Pick<DemandState, 'level' | 'area'>): AreaQuery {
  return s.level === 'region' ? { region: s.area } : { stp: s.area };
}

/** The demand view's server data: the forecast (with its scenario), observed bed days, breakdowns. */
export class DemandData {
  forecast = new Resource<ForecastModel>();
  bedDays = new Resource<DecodedTable | null>();
  byAge = new Resource<DecodedTable>();
  byImd = new Resource<DecodedTable>();

  constructor(private readonly connector: Connector) {}

  loadForecast(s: DemandState): void {
    void this.forecast.load(async (signal) =>
      normaliseForecast(
        await this.connector.forecast(
          {
            level: s.level,
            area: s.area,
            service: s.service,
            horizon: s.horizon,
            popGrowth: s.popGrowth ?? undefined,
            nonDemGrowth: s.nonDemGrowth ?? undefined,
            occupancy: s.occupancy,
            schemes: s.schemes,
          },
          { signal },
        ),
      ),
    );
  }

  loadBedDays(s: Pick<DemandState, 'level' | 'area' | 'service'>, hasBedDays: boolean): void {
    void this.bedDays.load(async (signal) =>
      hasBedDays ? this.connector.demand({ service: s.service, ...areaQuery(s), by: ['month'], measure: 'bed_days' }, { signal }) : null,
    );
  }

  /** Crude rates by age band and by IMD decile over the latest 12 months. */
  loadBreakdowns(s: Pick<DemandState, 'level' | 'area' | 'service'>, period: { to: string }): void {
    const window = { from: addMonths(period.to, -11), to: period.to };
    const q = { service: s.service, ...areaQuery(s), ...window, measure: 'crude_rate' as const };
    void this.byAge.load((signal) => this.connector.demand({ ...q, by: ['age_band'] }, { signal }));
    void this.byImd.load((signal) => this.connector.demand({ ...q, by: ['imd_decile'] }, { signal }));
  }
}
