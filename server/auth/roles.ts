import { z } from 'zod';

export const ROLES = ['planner', 'commissioner', 'researcher', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

export interface AuthUser {
  name: string;
  role: Role;
}

/** Roles that may see aggregates over all patients (researchers reach data only via exports). */
export const ALL_PATIENT_ROLES: readonly Role[] = ['planner', 'commissioner', 'admin'];
