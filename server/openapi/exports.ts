/** OpenAPI paths for research exports and the audit log (server/routes/exports.ts, audit.ts). */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const authErrors = {
  401: problem('No or invalid bearer token'),
  403: problem('The role may not use this endpoint (researcher or admin only; audit: admin only)'),
};
const exportId = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export const schemas = {
  ExportRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['service', 'measure', 'from', 'to'],
    properties: {
      service: { type: 'string', enum: ['ae_attendance', 'emergency_admission', 'elective_admission', 'outpatient_appointment', 'gp_appointment', 'community_contact'] },
      measure: { type: 'string', enum: ['count', 'patients', 'crude_rate', 'dsr'] },
      from: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'First month (YYYY-MM), inside the data period' },
      to: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'Last month (YYYY-MM), inside the data period' },
      by: {
        type: 'array',
        maxItems: 3,
        uniqueItems: true,
        items: { type: 'string', enum: ['region', 'stp', 'year', 'month', 'age_band', 'sex', 'imd_decile'] },
        description: 'Dimensions, in column order; every category and a Total for each is published. Not age_band with measure=dsr.',
      },
    },
  },
  ExportRecord: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      owner: { type: 'string' },
      role: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      request: { $ref: '#/components/schemas/ExportRequest' },
      rows: { type: 'integer' },
      suppressed: { type: 'object', properties: { primary: { type: 'integer' }, secondary: { type: 'integer' } } },
      sourceRunId: { type: ['string', 'null'] },
    },
  },
};

export const paths = {
  '/api/exports': {
    post: {
      summary: 'Create a disclosure-controlled research table (research allow-list only)',
      description:
        'Researcher and admin. Counts 1-7 are suppressed, other counts rounded to the nearest 5, totals from exact values then rounded, rates from rounded values, DSRs only at 10+ events, secondary suppression so no suppressed value follows from published margins. Audited. Limits: rows (cells and totals) per table, exports per user per hour.',
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ExportRequest' } } } },
      responses: {
        201: {
          description: 'Created; Location header points at the table',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  rows: { type: 'integer' },
                  suppressed: { type: 'object', properties: { primary: { type: 'integer' }, secondary: { type: 'integer' } } },
                  links: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        },
        400: problem('Invalid body; `param` names the field'),
        ...authErrors,
        413: problem('The table would exceed the row limit'),
        429: problem('Too many exports in the last hour (Retry-After header)'),
        503: problem('The warehouse lacks a table the measure needs'),
      },
    },
    get: {
      summary: "The caller's exports, newest first",
      responses: {
        200: { description: 'List', content: { 'application/json': { schema: { type: 'object', properties: { exports: { type: 'array', items: { $ref: '#/components/schemas/ExportRecord' } } } } } } },
        ...authErrors,
      },
    },
  },
  '/api/exports/{id}': {
    get: {
      summary: 'Download an export table',
      description: 'One column per dimension (Total rows are margins), then the measure columns, then a boolean <column>_suppressed per count column. CSV shows withheld values as *; Parquet and JSON as null. Audited.',
      parameters: [
        exportId,
        { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['csv', 'parquet', 'json'], default: 'csv' } },
        {
          name: 'labels',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['codes', 'words'], default: 'codes' },
          description: 'words (CSV only): the header and categories in words, region and STP codes in their own columns, the machine names on a # columns: line',
        },
      ],
      responses: {
        200: {
          description: 'The table',
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.apache.parquet': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { type: 'object' } } },
        },
        400: problem('Bad format or unknown parameter'),
        ...authErrors,
        404: problem('No such export of yours'),
      },
    },
  },
  '/api/exports/{id}/metadata': {
    get: {
      summary: 'Metadata sheet: definitions, period, source run, rules applied, cells suppressed, labels',
      parameters: [exportId, { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'md'], default: 'json' }, description: 'md: the same sheet in words, as Markdown' }],
      responses: {
        200: { description: 'Metadata', content: { 'application/json': { schema: { type: 'object' } }, 'text/markdown': { schema: { type: 'string' } } } },
        400: problem('Bad format or unknown parameter'),
        ...authErrors,
        404: problem('No such export of yours'),
      },
    },
  },
  '/api/audit': {
    get: {
      summary: 'Audit log, newest first, with the state of its hash chain (admin)',
      parameters: [
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 200 } },
        { name: 'before', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'Page backwards: entries with seq below this' },
        { name: 'user', in: 'query', required: false, schema: { type: 'string' }, description: 'Only this user' },
        { name: 'endpoint', in: 'query', required: false, schema: { type: 'string' }, description: 'Only this route pattern (/api/exports/:id)' },
        { name: 'status', in: 'query', required: false, schema: { type: 'string', pattern: '^([1-5][0-9][0-9]|[1-5]xx)$' }, description: 'An exact status (403) or a class (4xx)' },
        { name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'Entries on or after this UTC date' },
        { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date' }, description: 'Entries on or before this UTC date' },
      ],
      responses: {
        200: {
          description: 'Entries and chain status',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  chain: { type: 'object', properties: { ok: { type: 'boolean' }, entries: { type: 'integer' }, headHash: { type: 'string' }, problem: { type: 'object' } } },
                  total: { type: 'integer' },
                  matched: { type: 'integer', description: 'Entries that match the filters' },
                  facets: { type: 'object', properties: { users: { type: 'array', items: { type: 'string' } }, endpoints: { type: 'array', items: { type: 'string' } } } },
                  entries: { type: 'array', items: { type: 'object' } },
                },
              },
            },
          },
        },
        400: problem('Bad limit, before or filter'),
        ...authErrors,
        503: problem('No audit log configured'),
      },
    },
  },
};
