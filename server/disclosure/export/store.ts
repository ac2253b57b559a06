import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedTable } from './build-table.ts';
import type { ExportMetadata } from './metadata.ts';
import type { ExportRequest } from './request.ts';

/** What the listing shows; the table and metadata sheet sit beside it on disk. */
export interface ExportRecord {
  id: string;
  owner: string;
  role: string;
  createdAt: string;
  request: ExportRequest;
  rows: number;
  suppressed: { primary: number; secondary: number };
  sourceRunId: string | null;
}

const ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isExportId(id: string): boolean {
  return ID_RE.test(id);
}

/**
 * Export results on disk under the server's state folder (`<stateDir>/exports/<id>/`), never in
 * the warehouse: they are already disclosure-controlled, so nothing here is more sensitive than
 * what the researcher downloads. Each export is written to a temporary folder and renamed into
 * place, so a crash never leaves half an export. The listing is kept in memory.
 */
export class ExportStore {
  private constructor(
    readonly dir: string,
    private readonly records: Map<string, ExportRecord>,
  ) {}

  static async open(dir: string): Promise<ExportStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const records = new Map<string, ExportRecord>();
    for (const name of (await readdir(dir)).sort()) {
      if (!isExportId(name)) continue;
      try {
        const record = JSON.parse(await readFile(path.join(dir, name, 'record.json'), 'utf8')) as ExportRecord;
        records.set(record.id, record);
      } catch {
        // A folder without a readable record is not a finished export.
      }
    }
    return new ExportStore(dir, records);
  }

  async save(record: ExportRecord, table: PublishedTable, metadata: ExportMetadata): Promise<void> {
    if (!isExportId(record.id)) throw new Error(`bad export id ${record.id}`);
    const final = path.join(this.dir, record.id);
    const tmp = path.join(this.dir, `.tmp-${record.id}`);
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    try {
      await writeFile(path.join(tmp, 'table.json'), JSON.stringify(table));
      await writeFile(path.join(tmp, 'metadata.json'), JSON.stringify(metadata, null, 2));
      await writeFile(path.join(tmp, 'record.json'), JSON.stringify(record, null, 2));
      await rename(tmp, final);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    this.records.set(record.id, record);
  }

  get(id: string): ExportRecord | undefined {
    return isExportId(id) ? this.records.get(id) : undefined;
  }

  /** The user's exports, newest first. */
  listFor(owner: string): ExportRecord[] {
    return [...this.records.values()].filter((r) => r.owner === owner).sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  }

  async table(id: string): Promise<PublishedTable> {
    return JSON.parse(await readFile(path.join(this.dir, id, 'table.json'), 'utf8')) as PublishedTable;
  }

  async metadata(id: string): Promise<ExportMetadata> {
    return JSON.parse(await readFile(path.join(this.dir, id, 'metadata.json'), 'utf8')) as ExportMetadata;
  }

  parquetPath(id: string): string {
    return path.join(this.dir, id, 'table.parquet');
  }

  async hasParquet(id: string): Promise<boolean> {
    return (await stat(this.parquetPath(id)).catch(() => null))?.isFile() ?? false;
  }
}
