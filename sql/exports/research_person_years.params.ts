import { z } from 'zod';

const firstOfMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-01$/, 'a first-of-month date YYYY-MM-01');

export const params = z.object({ from: firstOfMonth, to: firstOfMonth }).strict();
