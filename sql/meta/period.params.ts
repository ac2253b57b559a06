import { z } from 'zod';

export const params = z.object({}).strict();
