/** OpenAPI paths for the core endpoints (health, meta, demand, compare, manifest, openapi). */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const authErrors = {
  401: problem('No or invalid bearer token'),
  403: problem('The role may not use this endpoint'),
};
const service = {
  name: 'service', in: 'query', required: true,
  schema: { type: 'string', enum: ['ae_attendance', 'emergency_admission', 'elective_admission', 'outpatient_appointment', 'gp_appointment', 'community_contact'] },
};
const month = (name: string, what: string) => ({
  name, in: 'query', required: false, description: `${what} month (YYYY-MM), inside the data period; default: the period's ${name === 'from' ? 'first' : 'last'} month`,
  schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' },
});
const format = {
  name: 'format', in: 'query', required: false,
  description: 'arrow (default; Arrow IPC stream), csv (lines starting # give measure, period and source run, then a header row) or json ({meta, rows})',
  schema: { type: 'string', enum: ['arrow', 'csv', 'json'], default: 'arrow' },
};
const tableResponse = (description: string) => ({
  description,
  content: {
    'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
    'text/csv': { schema: { type: 'string' } },
    'application/json': {
      schema: {
        type: 'object',
        properties: { meta: { type: 'object', additionalProperties: true }, rows: { type: 'array', items: { type: 'object', additionalProperties: true } } },
      },
    },
  },
});
const regionCodes = ['greater-manchester', 'wessex', 'one-london', 'yorkshire-humber', 'thames-valley-surrey'];

export const paths = {
  '/api/health': {
    get: {
      summary: 'Liveness', security: [],
      responses: { 200: { description: 'Up', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } } } },
    },
  },
  '/api/openapi.json': {
    get: { summary: 'This description', security: [], responses: { 200: { description: 'OpenAPI 3.1 JSON' } } },
  },
  '/api/meta': {
    get: {
      summary: 'Regions, STPs, services, age bands, period covered, run and freshness',
      description: 'All roles.',
      responses: {
        200: {
          description: 'Metadata',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['regions', 'services', 'ageBands', 'sexes', 'imdDeciles', 'period', 'run', 'freshness', 'role'],
                properties: {
                  regions: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, stps: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' } } } } } } },
                  services: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, name: { type: 'string' }, hasBedDays: { type: 'boolean' } } } },
                  ageBands: { type: 'array', items: { type: 'string' } },
                  sexes: { type: 'array', items: { type: 'string' } },
                  imdDeciles: { type: 'array', items: { type: 'integer' } },
                  period: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } },
                  run: { type: 'object', properties: { runId: { type: ['string', 'null'] }, keyId: { type: ['string', 'null'] }, finishedAt: { type: ['string', 'null'] }, counts: { type: ['object', 'null'] } } },
                  freshness: { type: 'object', properties: { lastEventMonth: { type: 'string' }, builtAt: { type: ['string', 'null'] } } },
                  members: {
                    description: 'Only when the server reads a federation (several regional warehouses, `--warehouse` repeated): each member, in region order. `period` above is then the months every member covers, `run.runId` the member run ids joined with `+`, `run.keyId` null unless the members share a key.',
                    type: 'array',
                    items: { type: 'object', properties: { label: { type: 'string' }, regions: { type: 'array', items: { type: 'string' } }, runId: { type: ['string', 'null'] }, keyId: { type: ['string', 'null'] }, finishedAt: { type: ['string', 'null'] }, period: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } } } },
                  },
                  role: { type: 'string', enum: ['planner', 'commissioner', 'researcher', 'admin'] },
                },
              },
            },
          },
        },
        ...authErrors,
      },
    },
  },
  '/api/demand': {
    get: {
      summary: 'Monthly activity for a service, filtered and grouped',
      description:
        'Roles: planner, commissioner, admin (researchers use exports). Columns: one per `by` dimension in the order given (`month` as DATE, `year` SMALLINT, `imd_decile` TINYINT, others text; `stp` holds the STP code), then `value`; for measure=crude_rate also `count`, `population` (person-years in the window), `lo95`, `hi95` (per 1,000 per year; Byar, exact below 10 events). Zero-filled over cells that have a population. Reads rollups and population only, except measure=patients without month in `by`, which counts distinct patients in events.',
      parameters: [
        service,
        { name: 'region', in: 'query', required: false, schema: { type: 'string', enum: regionCodes } },
        { name: 'stp', in: 'query', required: false, description: 'STP code (E54...), instead of region', schema: { type: 'string', pattern: '^E54\\d{6}$' } },
        month('from', 'First'),
        month('to', 'Last'),
        { name: 'by', in: 'query', required: false, description: 'Up to 3 comma-separated dimensions: month, year, region, stp, age_band, sex, imd_decile (not month and year together)', schema: { type: 'string' } },
        { name: 'measure', in: 'query', required: false, schema: { type: 'string', enum: ['count', 'patients', 'crude_rate', 'bed_days'], default: 'count' }, description: 'bed_days only for admissions' },
        format,
      ],
      responses: { 200: tableResponse('The demand table'), 400: problem('A parameter is missing or invalid (named in `param`)'), ...authErrors },
    },
  },
  '/api/compare': {
    get: {
      summary: 'Fair comparison of regions and STPs, or the deprivation gradient',
      description:
        'Roles: planner, commissioner, admin. Default: one row per region then STP with `area_code, area_name, level, count, population, crude_rate, crude_lo95, crude_hi95, dsr, dsr_lo95, dsr_hi95, dsr_lo998, dsr_hi998, funnel_lo95, funnel_hi95, funnel_lo998, funnel_hi998, comparison` (per 1,000 per year; population = person-years; DSR: ESP2013 with Dobson CIs, null under 10 events; funnel limits: exact Poisson around the benchmark DSR (all five regions) at the area\'s person-years; comparison higher|similar|lower from the DSR 95% CI vs the benchmark DSR, or the crude CI vs the benchmark crude rate when the DSR is null). The benchmark values are in the Arrow schema metadata / JSON meta (`benchmark_dsr`, `benchmark_crude_rate`). With by=imd_decile: `imd_decile, count, population, crude_rate, crude_lo95, crude_hi95, dsr, dsr_lo95, dsr_hi95`.',
      parameters: [
        service,
        month('from', 'First'),
        month('to', 'Last'),
        { name: 'by', in: 'query', required: false, schema: { type: 'string', enum: ['imd_decile'] } },
        { name: 'region', in: 'query', required: false, description: 'Restrict the rows (the gradient, or a region and its STPs); the benchmark stays all five regions for areas', schema: { type: 'string', enum: regionCodes } },
        format,
      ],
      responses: { 200: tableResponse('The comparison table'), 400: problem('A parameter is missing or invalid (named in `param`)'), ...authErrors },
    },
  },
  '/api/manifest': {
    get: {
      summary: "The warehouse build's manifest (counts, hashes, key id; no personal data)",
      description: "All roles; researchers get the run id, time and counts only. For a federation: the members' counts summed at the top (the single-warehouse layout) and each member's own manifest (with `label` and `regions`) under `members`; researchers get each member's counts under the disclosure rules.",
      responses: { 200: { description: 'manifest.json', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } }, ...authErrors },
    },
  },
};
