/**
 * Plainly synthetic identities: names prefixed "Synthetic-"/"Test-", addresses on "Synthetic"
 * streets, postcodes in the non-geographic ZZ99 area, GP practice codes Z<STP><nnn> and provider
 * codes X<STP letter><n> (ODS-shaped, but no real organisation uses those prefixes).
 */
import { STPS } from '../../domain/geography.ts';
import type { Rng } from './prng.ts';

const FAMILY = [
  'Ashworth', 'Bennett', 'Clarke', 'Dawson', 'Ellis', 'Fletcher', 'Gibson', 'Hughes', 'Iqbal', 'Jones', 'Khan', 'Lewis', 'Morris',
  'Nolan', 'Okafor', 'Patel', 'Quinn', 'Roberts', 'Singh', 'Taylor', 'Usman', 'Vaughan', 'Walker', 'Young', 'Ahmed', 'Begum',
  'Campbell', 'Davies', 'Evans', 'Foster', 'Green', 'Hall', 'Ibrahim', 'Jackson', 'Kelly', 'Lee', 'Mensah', 'Nowak', 'Owen',
  'Price', 'Rahman', 'Smith', 'Thomas', 'Wood', 'Wright', 'Brown', 'Wilson', 'Murphy', 'Kowalski', 'Chen',
];
const GIVEN_FEMALE = [
  'Amelia', 'Olivia', 'Isla', 'Ava', 'Mia', 'Grace', 'Fatima', 'Aisha', 'Sophie', 'Emily', 'Margaret', 'Susan', 'Patricia',
  'Joan', 'Priya', 'Zara', 'Hannah', 'Chloe', 'Jessica', 'Mary', 'Linda', 'Elizabeth', 'Maria', 'Anna', 'Ruby',
];
const GIVEN_MALE = [
  'Oliver', 'George', 'Noah', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Jack', 'Thomas', 'James', 'John', 'David', 'Michael',
  'Peter', 'Ali', 'Adam', 'Daniel', 'Samuel', 'Joseph', 'William', 'Robert', 'Stephen', 'Tomasz', 'Kwame', 'Ravi',
];
const STREETS = ['Synthetic Row', 'Synthetic Lane', 'Test Street', 'Synthetic Road', 'Sample Close', 'Synthetic Avenue'];
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export interface Identity {
  family: string;
  given: string;
  line: string;
  postalCode: string;
}

export function syntheticIdentity(rng: Rng, sex: 0 | 1): Identity {
  return {
    family: 'Synthetic-' + rng.pick(FAMILY),
    given: 'Test-' + rng.pick(sex === 0 ? GIVEN_FEMALE : GIVEN_MALE),
    line: `${1 + rng.int(199)} ${rng.pick(STREETS)}`,
    postalCode: `ZZ99 ${1 + rng.int(9)}${POSTCODE_LETTERS[rng.int(20)]}${POSTCODE_LETTERS[rng.int(20)]}`,
  };
}

const STP_LETTERS = 'ABCDEFGHJKLMNP';
export const stpLetter = (stpIndex: number): string => STP_LETTERS[stpIndex]!;

/** About four neighbouring LSOAs (roughly 6,500 people) share a practice, as in real list sizes. */
export function gpPracticeCode(stpIndex: number, lsoaRankInStp: number): string {
  return `Z${String(stpIndex + 1).padStart(2, '0')}${String(Math.floor(lsoaRankInStp / 4) + 1).padStart(3, '0')}`;
}

/** Acute trusts per STP (1-4 by population) and one community provider. */
const ACUTE_TRUSTS = STPS.map((s) => (['E54000007', 'E54000054'].includes(s.code) ? 4 : ['E54000041', 'E54000034', 'E54000052'].includes(s.code) ? 2 : 3));

export const acuteTrustCount = (stpIndex: number): number => ACUTE_TRUSTS[stpIndex]!;

/** Trust `k` (0-based) of an STP. */
export const acuteProvider = (stpIndex: number, k: number): string => `X${stpLetter(stpIndex)}${k + 1}`;

export const communityProvider = (stpIndex: number): string => `X${stpLetter(stpIndex)}9`;
