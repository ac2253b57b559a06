import type { Connector } from '../../lib/connector.ts';
import type { ParsedCsv } from '../../lib/csv-parse.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import type { ResearchState } from './research-url.ts';
import { exportIdOf } from './research-exports.ts';

type Obj = Record<string, unknown>;

export type ExportDownload = 'csv' | 'csv-codes' | 'parquet' | 'metadata-md' | 'metadata-json';

/** File names that say what is in them: `research-emergency-admissions-count-by-region-2024.csv`. */
export function exportFilename(s: Pick<ResearchState, 'service' | 'measure' | 'from' | 'to' | 'by'>, kind: ExportDownload): string {
  const years = s.from.slice(0, 4) === s.to.slice(0, 4) ? s.from.slice(0, 4) : `${s.from.slice(0, 4)}-${s.to.slice(0, 4)}`;
  const base = ['research', s.service.replace(/_/g, '-'), s.measure.replace(/_/g, '-'), s.by.length ? `by-${s.by.join('-').replace(/_/g, '-')}` : 'total', years].join('-');
  const tail = { csv: '.csv', 'csv-codes': '-codes.csv', parquet: '.parquet', 'metadata-md': '-metadata.md', 'metadata-json': '-metadata.json' }[kind];
  return `${base}${tail}`;
}

export class ResearchData {
  created = new Resource<string>();
  preview = new Resource<ParsedCsv>();
  metadata = new Resource<Obj>();
  list = new Resource<Obj[]>();

  constructor(private readonly connector: Connector) {}

  /** Asks the server for the disclosure-controlled table; resolves to its export id. */
  async create(s: ResearchState): Promise<string | null> {
    await this.created.load(async (signal) => {
      const res = await this.connector.createExport({ service: s.service, measure: s.measure, from: s.from, to: s.to, by: s.by }, { signal });
      const id = exportIdOf(res);
      if (!id) throw new Error('The server did not return an export id.');
      return id;
    });
    return this.created.value ?? null;
  }

  open(id: string): void {
    void this.preview.load((signal) => this.connector.exportPreview(id, { signal }));
    void this.metadata.load((signal) => this.connector.exportMetadata<Obj>(id, { signal }));
  }

  loadList(): void {
    void this.list.load(async (signal) => {
      const res = await this.connector.listExports<unknown>({ signal });
      const items = Array.isArray(res) ? res : typeof res === 'object' && res !== null && Array.isArray((res as Obj).exports) ? ((res as Obj).exports as unknown[]) : [];
      return items.filter((x): x is Obj => typeof x === 'object' && x !== null);
    });
  }

  /** `csv`: the readable CSV (words); `csv-codes`: the codes CSV for scripts; the metadata sheet as Markdown or JSON. */
  async download(id: string, kind: ExportDownload): Promise<Blob> {
    if (kind === 'metadata-md' || kind === 'metadata-json') return this.connector.exportMetadataFile(id, kind === 'metadata-md' ? 'md' : 'json');
    if (kind === 'parquet') return this.connector.exportFile(id, 'parquet');
    return this.connector.exportFile(id, 'csv', { readable: kind === 'csv' });
  }
}
