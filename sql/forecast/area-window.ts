import { z } from 'zod';
import { REGIONS, STPS } from '../../domain/geography.ts';
import { SERVICE_CODES } from '../../domain/services.ts';

const firstOfMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'a first-of-month date YYYY-MM-01');
const AREAS = [...REGIONS.map((r) => r.code), ...STPS.map((s) => s.code)] as [string, ...string[]];

/** One area (a region or an STP) of one service over a window of months: base_year and base_months. */
export const areaWindowParams = z.object({
  level: z.enum(['region', 'stp']),
  area: z.enum(AREAS),
  service: z.enum(SERVICE_CODES),
  from: firstOfMonth,
  to: firstOfMonth,
}).strict();
