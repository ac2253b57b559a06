import { z } from 'zod';
import { REGIONS } from '../../domain/geography.ts';
import { SERVICE_CODES } from '../../domain/services.ts';

export const params = z.object({
  service: z.enum(SERVICE_CODES),
  region: z.enum(REGIONS.map((r) => r.code) as [string, ...string[]]),
}).strict();
