/** The dashboard's requests (one per chart or table) and a sequential latency probe, shared by the API and scale benches. */
/** The requests the dashboard makes (one per chart or table), plus the one off the fast path. */
export const ENDPOINTS: { name: string; path: string; fastPath: boolean }[] = [
  { name: 'meta', path: '/api/meta', fastPath: true },
  { name: 'demand month (region)', path: '/api/demand?service=emergency_admission&region=one-london&by=month', fastPath: true },
  { name: 'demand month x age crude rate (stp)', path: '/api/demand?service=ae_attendance&stp=E54000007&by=month,age_band&measure=crude_rate', fastPath: true },
  { name: 'demand year x region crude rate', path: '/api/demand?service=gp_appointment&by=year,region&measure=crude_rate', fastPath: true },
  { name: 'demand bed days by month', path: '/api/demand?service=emergency_admission&by=month&measure=bed_days', fastPath: true },
  { name: 'demand patients by month', path: '/api/demand?service=outpatient_appointment&by=month&measure=patients', fastPath: true },
  { name: 'compare areas', path: '/api/compare?service=emergency_admission', fastPath: true },
  { name: 'compare areas csv', path: '/api/compare?service=ae_attendance&from=2023-07&to=2024-06&format=csv', fastPath: true },
  { name: 'compare imd gradient', path: '/api/compare?service=emergency_admission&by=imd_decile', fastPath: true },
  // The Overview's trends, the Demand view's breakdowns and forecast, the Compare view's trend:
  { name: 'overview month x region crude rate', path: '/api/demand?service=ae_attendance&by=month,region&measure=crude_rate', fastPath: true },
  { name: 'demand age band crude rate (stp, 12 m)', path: '/api/demand?service=emergency_admission&stp=E54000042&from=2023-07&to=2024-06&by=age_band&measure=crude_rate', fastPath: true },
  { name: 'demand imd decile crude rate (region, 12 m)', path: '/api/demand?service=emergency_admission&region=wessex&from=2023-07&to=2024-06&by=imd_decile&measure=crude_rate', fastPath: true },
  { name: 'compare trend month crude rate (stp)', path: '/api/demand?service=gp_appointment&stp=E54000027&by=month&measure=crude_rate', fastPath: true },
  { name: 'forecast region (json)', path: '/api/forecast?level=region&area=one-london&service=emergency_admission&horizon=24', fastPath: true },
  { name: 'forecast stp with scenario (json)', path: '/api/forecast?level=stp&area=E54000042&service=emergency_admission&horizon=24&popGrowth=1&nonDemGrowth=2&occupancy=90&scheme=emergency_admission:10:2024-09:6', fastPath: true },
  { name: 'demand patients by year (events)', path: '/api/demand?service=emergency_admission&by=year&measure=patients', fastPath: false },
];

export function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}
export const r1 = (x: number) => Math.round(x * 10) / 10;

export async function sequential(url: string, token: string, p: string, n: number) {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < 5; i++) await (await fetch(url + p, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await fetch(url + p, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    times.push(performance.now() - t);
    if (r.status !== 200) errors++;
  }
  times.sort((a, b) => a - b);
  return { n: n, p50: r1(quantile(times, 0.5)), p95: r1(quantile(times, 0.95)), p99: r1(quantile(times, 0.99)), errors };
}

