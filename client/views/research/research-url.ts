import { readEnum, readList, readMonth, readString, writeParams } from '../../lib/url-codec.ts';
import { SERVICE_CODES, type ServiceCode } from '../../lib/areas.ts';
import { EXPORT_MEASURE_LABELS } from '../../../domain/export-labels.ts';

export const EXPORT_MEASURES = ['count', 'patients', 'crude_rate', 'dsr'] as const;
export type ExportMeasure = (typeof EXPORT_MEASURES)[number];
export const EXPORT_DIMENSIONS = ['region', 'stp', 'year', 'month', 'age_band', 'sex', 'imd_decile'] as const;
export type ExportDimension = (typeof EXPORT_DIMENSIONS)[number];
export const MAX_EXPORT_DIMENSIONS = 3;

export const MEASURE_LABELS = EXPORT_MEASURE_LABELS as Record<ExportMeasure, string>;

export const DIMENSION_LABELS: Record<ExportDimension, string> = {
  region: 'Region',
  stp: 'STP',
  year: 'Year',
  month: 'Month',
  age_band: 'Age band',
  sex: 'Sex',
  imd_decile: 'IMD decile',
};

export interface ResearchState {
  service: ServiceCode;
  measure: ExportMeasure;
  from: string;
  to: string;
  by: ExportDimension[];
  /** The export being previewed, so a link reopens it. */
  exportId: string | null;
}

export function parseResearch(p: URLSearchParams, defaults: { from: string; to: string }): ResearchState {
  const from = readMonth(p, 'from', defaults.from);
  const to = readMonth(p, 'to', defaults.to);
  const ordered = from <= to;
  let by = readList(p, 'by', EXPORT_DIMENSIONS, ['region'], EXPORT_DIMENSIONS.length);
  if (by.includes('month') && by.includes('year')) by = by.filter((d) => d !== 'year');
  by = by.slice(0, MAX_EXPORT_DIMENSIONS);
  const measure = readEnum(p, 'measure', EXPORT_MEASURES, 'count');
  // A link asking for both (the server refuses it): the rate is standardised over age bands.
  if (measure === 'dsr') by = by.filter((d) => d !== 'age_band');
  const id = readString(p, 'export', /^[A-Za-z0-9_-]{1,80}$/, '');
  return {
    service: readEnum(p, 'service', SERVICE_CODES, 'emergency_admission'),
    measure,
    from: ordered ? from : defaults.from,
    to: ordered ? to : defaults.to,
    by,
    exportId: id || null,
  };
}

export function researchParams(s: ResearchState): URLSearchParams {
  return writeParams([
    ['service', s.service],
    ['measure', s.measure],
    ['from', s.from],
    ['to', s.to],
    ['by', s.by.join(',')],
    ['export', s.exportId],
  ]);
}
