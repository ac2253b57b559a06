import { z } from 'zod';
import { SERVICE_CODES } from '../../domain/services.ts';

const firstOfMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'a first-of-month date YYYY-MM-01');

export const params = z.object({ service: z.enum(SERVICE_CODES), from: firstOfMonth, to: firstOfMonth }).strict();
