import { SERVICES } from '../../../domain/services.ts';
import type { DisclosureConfig } from '../config.ts';
import type { PublishedTable } from './build-table.ts';
import type { ExportDimension, ExportRequest, Measure } from './request.ts';
import { exportLabels, type ExportLabels } from './metadata-sheet.ts';

const MEASURE_TEXT: Record<Measure, string> = {
  count: 'number of encounters',
  patients: 'number of distinct patients with at least one encounter (totals count each patient once)',
  crude_rate: 'encounters per 1,000 person-years, with a 95% confidence interval (Byar; exact Poisson below 10), computed from the published (rounded) count and person-years, and printed no finer than the rounding of the count allows',
  dsr: 'directly age-standardised rate per 1,000 person-years (European Standard Population 2013, 19 bands to 90+), Dobson 95% confidence interval on the published count; computed from protected age-band counts and populations (each rounded to the nearest 5, 1-7 taken as 4), never from exact ones; shown only where the published count is at least 10 even at the low end of its rounding',
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
  person_years: 'person-years at risk: the published research population (registered at 1 July, rounded to the nearest 5; * = suppressed) of each calendar year x the months of that year in the cell / 12',
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
  return `whole calendar years only, each protected on its own; counts 1-${c.suppressTo} suppressed (*); other counts rounded to the nearest ${c.roundTo}; totals within a year from exact values then rounded, totals over years the sum of the years' published values; person-years from the published population; rates from published values at the precision the rounding allows; rates over suppressed counts suppressed; DSRs from protected strata, only where the published count is ${c.dsrMinEvents}+ at the low end of its rounding; secondary suppression so no suppressed value follows from published margins`;
}

export function rulesApplied(c: DisclosureConfig): string[] {
  return [
    `Primary suppression: counts from 1 to ${c.suppressTo} are withheld (shown as * in CSV, null in Parquet, with <column>_suppressed = true). A true 0 is shown as 0.`,
    'Windows: a table covers whole calendar years (the first and last years of the data as far as the data go). Each year is protected on its own, the same way in every table that includes it, so two tables can never be subtracted into part of a year.',
    `Rounding: every other count is rounded to the nearest ${c.roundTo}. Within a year, totals are computed from exact values and then rounded, so they need not equal the sum of the rounded cells. Totals over several years are the sum of the years' published values, and are withheld if any year's value is withheld (distinct patients: the exact number over the window, rounded, shown only where every year's figure is shown).`,
    'Denominators: person-years are the published research population of each year (registered at 1 July, under the same rules as counts) x the months covered / 12.',
    'Derived values: crude rates and their intervals are computed from the published count and person-years, printed no finer than the count rounding allows (the power of ten at or below the change in the rate that 2.5 events make); a rate whose count or person-years is withheld is withheld.',
    `Directly standardised rates are computed from protected age-band counts and populations (rounded to the nearest ${c.roundTo}; values of 1-${c.suppressTo} taken as ${(1 + c.suppressTo) / 2}), never from exact ones, with the Dobson interval on the published count. They are shown only where the published count is at least ${c.dsrMinEvents} even at the low end of its rounding, so whether a DSR is shown reveals nothing beyond the published count.`,
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
  /** Words for the machine names (domain/export-labels.ts); absent in sheets stored before it existed. */
  labels?: ExportLabels;
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
    labels: exportLabels(r, table.columns.filter((c) => c.kind !== 'dimension').map((c) => c.name)),
  };
}
