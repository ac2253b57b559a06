/** What the server knows about the warehouse it serves, read once at start-up. */
export interface WarehouseInfo {
  /** Absolute path, validated at start-up (never from a request). */
  dir: string;
  /** manifest.json as written by the pipeline (counts, hashes, key id: no personal data). */
  manifest: Record<string, unknown>;
  runId: string | null;
  keyId: string | null;
  finishedAt: string | null;
  counts: Record<string, unknown> | null;
  /** First and last month with activity in `rollups`, as 'YYYY-MM'. */
  period: { from: string; to: string };
  /** Warehouse tables available as DuckDB views (`rollups`, `population`, `events`, ...). */
  views: readonly string[];
}
