import type { Cell, Row } from '../lib/arrow-decode.ts';

export interface TableColumn {
  key: string;
  label: string;
  /** Numbers are right-aligned and formatted; text left as is. */
  format?: (v: Cell, row: Row) => string;
  numeric?: boolean;
}

export interface TableData {
  columns: TableColumn[];
  rows: Row[];
}
