import { Float64, Int64, Table, vectorFromArray, type Vector } from 'apache-arrow';
import type { AppContext } from '../context.ts';
import { dimensionSlots } from '../queries/dimensions.ts';
import { crudeRatePer1000 } from './crude-rates.ts';
import { Gate } from './gate.ts';
import type { DemandRequest } from './params.ts';

// Distinct patients over events is the one slow query (seconds at a million patients): one at a
// time, so it never holds every pooled connection while fast-path requests wait.
const eventsGate = new Gate(1);

function numbers(v: Vector | null): number[] {
  const out: number[] = [];
  if (!v) return out;
  for (let i = 0; i < v.length; i++) out.push(Number(v.get(i) ?? 0));
  return out;
}

/**
 * The /api/demand table: the `by` columns in the order asked, then `value`; for crude_rate also
 * count, population (person-years), lo95, hi95 (Byar; exact below 10 events).
 */
export async function runDemand(ctx: AppContext, r: DemandRequest): Promise<Table> {
  const bind = { service: r.service, from: r.from, to: r.to, region: r.region, stp: r.stp };
  const slots = dimensionSlots(r.by);
  const columns: Record<string, Vector> = {};

  // Distinct patients across months cannot be summed from monthly rollups: count them in events.
  if (r.measure === 'patients' && !r.by.includes('month')) {
    const q = ctx.queries.prepare('demand/distinct_patients_from_events', bind, slots);
    const t = await eventsGate.run(() => ctx.db.queryTable(q.sql, q.params));
    for (const d of r.by) columns[d] = t.getChild(d)!;
    columns.value = vectorFromArray(numbers(t.getChild('patients')).map(BigInt), new Int64());
    return new Table(columns);
  }

  const q = ctx.queries.prepare('demand/from_rollups', bind, slots);
  const t = await ctx.db.queryTable(q.sql, q.params);
  for (const d of r.by) columns[d] = t.getChild(d)!;
  if (r.measure === 'count') columns.value = t.getChild('count')!;
  else if (r.measure === 'patients') columns.value = t.getChild('patients')!;
  else if (r.measure === 'bed_days') columns.value = t.getChild('bed_days')!;
  else {
    const counts = numbers(t.getChild('count'));
    const years = numbers(t.getChild('person_years'));
    const rates = counts.map((c, i) => crudeRatePer1000(c, years[i]!));
    columns.value = vectorFromArray(rates.map((x) => x?.value ?? null), new Float64());
    columns.count = t.getChild('count')!;
    columns.population = t.getChild('person_years')!;
    columns.lo95 = vectorFromArray(rates.map((x) => x?.lo ?? null), new Float64());
    columns.hi95 = vectorFromArray(rates.map((x) => x?.hi ?? null), new Float64());
  }
  return new Table(columns);
}

export function measureLabel(r: DemandRequest): string {
  const what = {
    count: 'events',
    patients: r.by.includes('month') ? 'distinct patients per month' : 'distinct patients in the period',
    crude_rate: 'crude rate per 1,000 person-years (95% CI: Byar, exact below 10 events)',
    bed_days: 'bed days',
  }[r.measure];
  const area = r.stp ? ` in STP ${r.stp}` : r.region ? ` in ${r.region}` : ' in all five regions';
  return `${r.service} ${what}${area}${r.by.length ? ` by ${r.by.join(', ')}` : ''}`;
}
