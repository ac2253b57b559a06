import { SERVICES } from '../../../domain/services.ts';
import type { DisclosureConfig } from '../config.ts';
import type { PublishedTable } from './build-table.ts';
import type { ExportDimension, ExportRequest, Measure } from './request.ts';

const MEASURE_TEXT: Record<Measure, string> = {
  count: 'number of encounters',
  patients: 'number of distinct patients with at least one encounter (totals count each patient once)',
  crude_rate: 'encounters per 1,000 person-years, with a 95% confidence interval (Byar; exact Poisson below 10), computed from the rounded count and rounded person-years',
  dsr: 'directly age-standardised rate per 1,000 person-years (European Standard Population 2013, 19 bands to 90+), Dobson 95% confidence interval; computed from exact age-band counts, shown only at 10 or more events',
};

const DIMENSION_TEXT: Record<ExportDimension, string> = {
  region: 'LHCRE exemplar region of residence at the encounter',
  stp: 'STP (2018 footprint, ONS April 2020 code) of residence at the encounter',
  year: 'calendar year of the encounter start',
  month: 'calendar month of the encounter start (YYYY-MM)',
  age_band: 'ESP2013 five-year age band at the encounter start',
  sex: 'recorded sex (female, male)',
  imd_decile: 'IMD 2019 decile of the LSOA of residence (1 = most deprived)',
};

const COLUMN_TEXT: Record<string, string> = {
  count: 'encounters (rounded to the nearest 5; * = suppressed)',
  patients: 'distinct patients (rounded to the nearest 5; * = suppressed)',
  person_years: 'person-years at risk over the research population (rounded to the nearest 5; * = suppressed)',
  crude_rate: 'crude rate per 1,000 person-years',
  dsr: 'directly standardised rate per 1,000 person-years',
  lo95: 'lower 95% confidence limit of the rate',
  hi95: 'upper 95% confidence limit of the rate',
};

export function measureLabel(r: ExportRequest): string {
  const service = SERVICES.find((s) => s.code === r.service)?.name ?? r.service;
  return `${service}: ${r.measure}, research allow-list only`;
}

/** One line for the CSV header: the rules in force, with their thresholds. */
export function rulesLine(c: DisclosureConfig): string {
  return `counts 1-${c.suppressTo} suppressed (*); other counts rounded to the nearest ${c.roundTo}; totals from exact values then rounded; rates from rounded values; rates over suppressed counts suppressed; DSRs only at ${c.dsrMinEvents}+ events; secondary suppression so no suppressed value follows from published margins`;
}

export function rulesApplied(c: DisclosureConfig): string[] {
  return [
    `Primary suppression: counts from 1 to ${c.suppressTo} are withheld (shown as * in CSV, null in Parquet, with <column>_suppressed = true). A true 0 is shown as 0.`,
    `Rounding: every other count, including totals, is rounded to the nearest ${c.roundTo}. Totals are computed from exact values and then rounded, so they need not equal the sum of the rounded cells.`,
    'Derived values: crude rates and their intervals are computed from the rounded count and rounded person-years; a rate whose count or person-years is withheld is withheld.',
    `Directly standardised rates are shown only where the count is shown and at least ${c.dsrMinEvents} events occurred.`,
    'Secondary suppression: further cells are withheld (smallest first) until no withheld value can be worked out from the published cells and the row, column and grand totals, checked exactly by linear algebra.',
    'Sources: NHS Digital disclosure control methodology for HES and ECDS (2018); GSS disclosure control guidance for tables produced from administrative sources; Morris et al. 2018 (DSRs below 10 events).',
  ];
}

export interface ExportMetadata {
  id: string;
  createdAt: string;
  createdBy: string;
  request: ExportRequest;
  title: string;
  cohort: string;
  period: { from: string; to: string };
  source: { runId: string | null; finishedAt: string | null };
  definitions: { measure: string; service: string; dimensions: Record<string, string>; columns: Record<string, string> };
  rules: string[];
  thresholds: DisclosureConfig;
  cells: { rows: number; suppressedPrimary: number; suppressedSecondary: number; byColumn: PublishedTable['suppression']['byColumn']; withheldRates: number };
}

export function buildMetadata(
  a: { id: string; createdAt: string; createdBy: string; request: ExportRequest; sourceRunId: string | null; finishedAt: string | null },
  table: PublishedTable,
  config: DisclosureConfig,
): ExportMetadata {
  const r = a.request;
  return {
    id: a.id,
    createdAt: a.createdAt,
    createdBy: a.createdBy,
    request: r,
    title: measureLabel(r),
    cohort: 'Patients on the research allow-list: those who had not registered a national data opt-out when the warehouse was built. Opted-out patients contribute to no cell, total or denominator.',
    period: { from: r.from, to: r.to },
    source: { runId: a.sourceRunId, finishedAt: a.finishedAt },
    definitions: {
      measure: MEASURE_TEXT[r.measure],
      service: SERVICES.find((s) => s.code === r.service)?.name ?? r.service,
      dimensions: Object.fromEntries(r.by.map((d) => [d, `${DIMENSION_TEXT[d]}; 'Total' rows are margins over all its categories`])),
      columns: Object.fromEntries(
        table.columns.filter((c) => c.kind !== 'dimension').map((c) => [c.name, COLUMN_TEXT[c.name] ?? (c.kind === 'flag' ? `true where ${c.name.replace(/_suppressed$/, '')} is withheld by disclosure control` : c.name)]),
      ),
    },
    rules: rulesApplied(config),
    thresholds: config,
    cells: {
      rows: table.rows.length,
      suppressedPrimary: table.suppression.primary,
      suppressedSecondary: table.suppression.secondary,
      byColumn: table.suppression.byColumn,
      withheldRates: table.withheldRates,
    },
  };
}
