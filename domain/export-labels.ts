import { REGIONS, STPS } from './geography.ts';

/**
 * Words for the research export's machine names, shared by the server (the readable CSV and the
 * metadata sheet) and the dashboard (the preview), so the three never disagree. The machine
 * names stay the contract: the default CSV, JSON and Parquet use them, and the readable forms
 * carry them too (a `# columns:` line and a code column beside each area name).
 */
export const EXPORT_DIMENSION_LABELS: Record<string, string> = {
  region: 'Region',
  stp: 'STP',
  year: 'Year',
  month: 'Month',
  age_band: 'Age band',
  sex: 'Sex',
  imd_decile: 'IMD decile (1 = most deprived)',
};

export const EXPORT_COLUMN_LABELS: Record<string, string> = {
  count: 'Count',
  patients: 'Distinct patients',
  person_years: 'Person-years',
  crude_rate: 'Crude rate per 1,000 person-years',
  dsr: 'Age-standardised rate per 1,000 person-years',
  lo95: '95% CI lower',
  hi95: '95% CI upper',
};

export const EXPORT_MEASURE_LABELS: Record<string, string> = {
  count: 'Count of events',
  patients: 'Distinct patients',
  crude_rate: 'Crude rate per 1,000',
  dsr: 'Age-standardised rate per 1,000 (DSR)',
};

/** Dimensions whose readable value cannot be turned back into the code without a lookup table. */
export const CODED_DIMENSIONS: ReadonlySet<string> = new Set(['region', 'stp']);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TOTAL = 'Total';

/** `count` -> `Count`, `count_suppressed` -> `Count suppressed`; unknown names are returned as they are. */
export function exportColumnLabel(name: string): string {
  if (name === 'suppressed') return 'Suppressed';
  const flag = /^(.+)_suppressed$/.exec(name);
  if (flag) return `${exportColumnLabel(flag[1]!)} suppressed`;
  return EXPORT_DIMENSION_LABELS[name] ?? EXPORT_COLUMN_LABELS[name] ?? name;
}

/** The code column written beside a coded dimension: `Region code`. */
export function exportCodeColumnLabel(dim: string): string {
  return `${exportColumnLabel(dim)} code`;
}

/** A category in words: `greater-manchester` -> `Greater Manchester`, `90+` -> `90 and over`. */
export function exportCategoryLabel(dim: string, code: string): string {
  if (code === TOTAL || code === '') return code;
  switch (dim) {
    case 'region':
      return REGIONS.find((r) => r.code === code)?.name ?? code;
    case 'stp':
      return STPS.find((s) => s.code === code)?.name ?? code;
    case 'month': {
      const m = /^(\d{4})-(\d{2})$/.exec(code);
      return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : code;
    }
    case 'age_band':
      return code.endsWith('+') ? `${code.slice(0, -1)} and over` : code.replace('-', ' to ');
    case 'sex':
      return code.charAt(0).toUpperCase() + code.slice(1);
    case 'imd_decile':
      return code === '1' ? '1 (most deprived)' : code === '10' ? '10 (least deprived)' : code;
    default:
      return code;
  }
}
