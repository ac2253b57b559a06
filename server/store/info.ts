/** One published warehouse folder the server reads (a federation has several, one per exemplar). */
export interface MemberInfo {
  /** Absolute path, validated at start-up (never from a request, never in a response). */
  dir: string;
  /** manifest.json as written by the pipeline (counts, hashes, key id: no personal data). */
  manifest: Record<string, unknown>;
  runId: string | null;
  keyId: string | null;
  finishedAt: string | null;
  counts: Record<string, unknown> | null;
  schemaVersion: number | null;
  optOutPolicy: string | null;
  /** Tables with Parquet files in this folder. */
  tables: readonly string[];
  /** Region codes in its rollups and population, in REGIONS order. */
  regions: readonly string[];
  /** The names of its regions, for the Data view ('Wessex'). */
  label: string;
  /** First and last month of its rollups, 'YYYY-MM'. */
  period: { from: string; to: string };
}

/** What the server knows about the warehouse (or the union of warehouses) it serves, read once at start-up. */
export interface WarehouseInfo {
  /**
   * manifest.json of a single warehouse; for a federation, the combined manifest: counts summed
   * over the members, the served period, and `members` (each member's own manifest).
   */
  manifest: Record<string, unknown>;
  /** The run id; for a federation, the members' run ids joined with '+' (in REGIONS order). */
  runId: string | null;
  /** The key id; for a federation, the members' key id if they share one, else null. */
  keyId: string | null;
  /** When the run finished; for a federation, when its last member finished. */
  finishedAt: string | null;
  counts: Record<string, unknown> | null;
  /** First and last month served, as 'YYYY-MM': for a federation, the months every member covers. */
  period: { from: string; to: string };
  /** Warehouse tables available as DuckDB views (`rollups`, `population`, `events`, ...). */
  views: readonly string[];
  /** The folders served: one, or the members of a federation in REGIONS order. */
  members: readonly MemberInfo[];
}
