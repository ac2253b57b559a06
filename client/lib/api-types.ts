/** Shapes of the JSON endpoints (docs: notes/api-contract.md and GET /api/openapi.json). */

export type Role = 'planner' | 'commissioner' | 'researcher' | 'admin';
export const ROLES: readonly Role[] = ['planner', 'commissioner', 'researcher', 'admin'];

export interface MetaArea {
  code: string;
  name: string;
}

export interface MetaRegion extends MetaArea {
  /** ONS mid-2019 residents (reference data): what the record's population is a share of. */
  residentsMid2019?: number;
  stps: (MetaArea & { residentsMid2019?: number | null })[];
}

export interface MetaService {
  code: string;
  name: string;
  hasBedDays: boolean;
}

export interface Meta {
  regions: MetaRegion[];
  services: MetaService[];
  ageBands: string[];
  sexes: string[];
  imdDeciles: number[];
  period: { from: string; to: string };
  /** keyId is null for a federation whose members have different keys. */
  run: { runId: string; keyId: string | null; finishedAt: string; counts: Record<string, unknown> } | null;
  freshness: { lastEventMonth: string; builtAt: string } | null;
  /** Only when the server reads several regional warehouses as one: each member, in region order. */
  members?: { label: string; regions: string[]; runId: string | null; keyId: string | null; finishedAt: string | null; period: { from: string; to: string } }[];
  role: Role;
}

export type DemandMeasure = 'count' | 'patients' | 'crude_rate' | 'bed_days';
export type DemandDimension = 'month' | 'year' | 'age_band' | 'sex' | 'imd_decile' | 'stp' | 'region';

export interface DemandQuery {
  service: string;
  region?: string;
  stp?: string;
  from?: string;
  to?: string;
  by: DemandDimension[];
  measure: DemandMeasure;
}

export interface CompareQuery {
  service: string;
  from?: string;
  to?: string;
  by?: 'imd_decile';
  region?: string;
}

export type AreaLevel = 'region' | 'stp';

/** A what-if scheme: demand for a service avoided from a month, reached after a ramp. */
export interface Scheme {
  service: string;
  percent: number;
  start: string;
  rampMonths: number;
}

export interface ForecastQuery {
  level: AreaLevel;
  area: string;
  service: string;
  horizon: number;
  popGrowth?: number;
  nonDemGrowth?: number;
  occupancy?: number;
  schemes?: Scheme[];
}

export interface ExportRequest {
  service: string;
  measure: 'count' | 'patients' | 'crude_rate' | 'dsr';
  from: string;
  to: string;
  by: string[];
}
