import { SERVICES } from '../../../domain/services.ts';
import { EXPORT_MEASURE_LABELS, exportCategoryLabel, exportColumnLabel } from '../../../domain/export-labels.ts';
import { categoriesOf } from './categories.ts';
import type { ExportMetadata } from './metadata.ts';
import type { ExportRequest } from './request.ts';

/** Words for every machine name in an export: its columns, and each dimension's categories. */
export interface ExportLabels {
  measure: string;
  service: string;
  columns: Record<string, string>;
  categories: Record<string, Record<string, string>>;
}

export function exportLabels(r: ExportRequest, valueColumns: readonly string[]): ExportLabels {
  return {
    measure: EXPORT_MEASURE_LABELS[r.measure] ?? r.measure,
    service: SERVICES.find((s) => s.code === r.service)?.name ?? r.service,
    columns: Object.fromEntries([...r.by, ...valueColumns].map((c) => [c, exportColumnLabel(c)])),
    categories: Object.fromEntries(r.by.map((d) => [d, Object.fromEntries(categoriesOf(d, r).map((c) => [c, exportCategoryLabel(d, c)]))])),
  };
}

/** Metadata as served: sheets stored before labels existed get them from their request. */
export function withLabels(m: ExportMetadata): ExportMetadata & { labels: ExportLabels } {
  return { ...m, labels: m.labels ?? exportLabels(m.request, Object.keys(m.definitions.columns)) };
}

/** Markdown text: pipes and line breaks would end a table cell; emphasis and links are left inert. */
function md(s: unknown): string {
  return String(s ?? '')
    .replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * The metadata sheet for people (`GET /api/exports/{id}/metadata?format=md`): the same facts as
 * the JSON sheet, in words, with each column's machine name beside its label. Nothing in it is
 * computed from the data: it is the stored sheet, laid out.
 */
export function metadataToMarkdown(stored: ExportMetadata): string {
  const m = withLabels(stored);
  const L = m.labels;
  const r = m.request;
  const dims = r.by.map((d) => L.columns[d] ?? d);
  const lines: string[] = [
    `# Research export: ${md(L.service)}, ${md(L.measure.toLowerCase())}`,
    '',
    ...table(
      ['', ''],
      [
        ['Export id', md(m.id)],
        ['Created', md(m.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))],
        ['Created by', md(m.createdBy)],
        ['Service', md(L.service)],
        ['Measure', md(L.measure)],
        ['Period', `${md(exportCategoryLabel('month', m.period.from))} to ${md(exportCategoryLabel('month', m.period.to))}`],
        ['Broken down by', dims.length ? dims.map(md).join(', ') : 'nothing (one total)'],
        ['Source pipeline run', md(m.source.runId ?? 'unknown')],
        ['Warehouse built', md(m.source.finishedAt ?? 'unknown')],
      ],
    ),
    '',
    '## Who is counted',
    '',
    md(m.cohort),
    '',
    `Measure: ${md(m.definitions.measure)}.`,
    '',
    '## Columns',
    '',
    ...table(
      ['Column', 'Machine name', 'Meaning'],
      [
        ...r.by.map((d) => [md(L.columns[d] ?? d), `\`${d}\``, md(m.definitions.dimensions[d] ?? '')]),
        ...Object.entries(m.definitions.columns).map(([c, text]) => [md(L.columns[c] ?? c), `\`${c}\``, md(text)]),
      ],
    ),
    '',
    'Category codes: the CSV with codes, the JSON and the Parquet files use the codes; the readable CSV uses the words, with region and STP codes in their own columns.',
    '',
  ];
  for (const d of r.by) {
    if (d === 'month' || d === 'year') continue;
    const cats = Object.entries(L.categories[d] ?? {});
    if (!cats.length) continue;
    lines.push(`### ${md(L.columns[d] ?? d)}`, '', ...table(['Code', 'Label'], cats.map(([code, label]) => [`\`${code}\``, md(label)])), '');
  }
  lines.push('## Disclosure control', '', ...m.rules.map((x, i) => `${i + 1}. ${md(x)}`), '');
  lines.push(...table(['Threshold', 'Value'], Object.entries(m.thresholds).map(([k, v]) => [md(k), md(v)])), '');
  const cells = m.cells;
  lines.push(
    '## Cells',
    '',
    ...table(
      ['', 'Number'],
      [
        ['Rows (cells and totals)', String(cells.rows)],
        ['Withheld: primary suppression', String(cells.suppressedPrimary)],
        ['Withheld: secondary suppression', String(cells.suppressedSecondary)],
        ['Rates withheld', String(cells.withheldRates)],
      ],
    ),
    '',
  );
  const byColumn = Object.entries(cells.byColumn);
  if (byColumn.length) {
    lines.push(...table(['Column', 'Primary', 'Secondary'], byColumn.map(([c, t]) => [md(L.columns[c] ?? c), String(t.primary), String(t.secondary)])), '');
  }
  return lines.join('\n');
}
