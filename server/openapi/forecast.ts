/** OpenAPI paths for GET /api/forecast (forecasting helper). */
const num = { type: 'number' };
const nullableNum = { type: ['number', 'null'] };
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const q = (name: string, description: string, schema: Record<string, unknown>, required = false) => ({ name, in: 'query', required, description, schema });
const services = ['ae_attendance', 'emergency_admission', 'elective_admission', 'outpatient_appointment', 'gp_appointment', 'community_contact'];
const scores = {
  mase: nullableNum, smape: nullableNum, cov80: nullableNum, cov95: nullableNum,
  naiveMase: { ...nullableNum, description: 'Seasonal naive benchmark on the same origins and months' }, naiveSmape: nullableNum,
  naiveCov80: { ...nullableNum, description: "Coverage of the seasonal naive model's own (uncalibrated) intervals" }, naiveCov95: nullableNum,
};
const score = { type: 'object', properties: { h: { type: 'integer' }, ...scores, n: { type: 'integer' } } };

export const schemas = {
  ForecastResponse: {
    type: 'object',
    required: ['series', 'method', 'history', 'fitted', 'forecast', 'backtest', 'covid', 'scenario'],
    properties: {
      series: { type: 'object', properties: { level: { enum: ['region', 'stp'] }, area: { type: 'string' }, region: { type: 'string' }, service: { type: 'string' } } },
      method: { enum: ['snaive', 'naive', 'ses', 'damped', 'ets', 'theta', 'combo'], description: 'Method chosen (auto: lowest rolling-origin backtest MASE; the ETS/Theta combination unless another method has a MASE more than 30% lower)' },
      methodDetail: { type: 'string', description: 'The model actually fitted, e.g. ETS(A,Ad,M)' },
      reconciled: { type: 'string' },
      history: { type: 'array', items: { type: 'object', properties: { month: { type: 'string' }, value: nullableNum, used: { ...num, description: 'Value used for fitting' }, flag: { enum: ['observed', 'interpolated', 'covid-replaced'] } } } },
      fitted: { type: 'array', items: { type: 'object', properties: { month: { type: 'string' }, value: num } } },
      forecast: { type: 'array', items: { type: 'object', properties: { month: { type: 'string' }, value: num, lo80: num, hi80: num, lo95: num, hi95: num } } },
      backtest: {
        type: ['object', 'null'],
        properties: {
          horizon: { type: 'integer' }, origins: { type: 'array', items: { type: 'string' } },
          byHorizon: { type: 'array', items: score },
          summary: { type: 'object', properties: scores },
          candidates: { type: 'array', items: { type: 'object', properties: { method: { type: 'string' }, mase: nullableNum, smape: nullableNum } } },
        },
      },
      covid: { type: ['object', 'null'], properties: { from: { type: 'string' }, to: { type: 'string' }, months: { type: 'integer' }, handling: { type: 'string' } } },
      missingMonths: { type: 'array', items: { type: 'string' } },
      scenario: {
        type: 'object',
        properties: {
          params: { type: 'object', additionalProperties: true },
          projected: {
            type: 'array',
            items: {
              type: 'object',
              properties: { month: { type: 'string' }, baseline: num, demographic: num, nonDemographic: num, avoided: num, value: num, bedDays: num, beds: num },
            },
          },
        },
      },
    },
  },
};

export const paths = {
  '/api/forecast': {
    get: {
      summary: 'Forecast, backtest and planning scenario for one region or STP series',
      description:
        'Roles: planner, commissioner, admin (researcher 403). Monthly series from the rollups; method chosen by rolling-origin backtest; ' +
        '80%/95% intervals calibrated on the backtest; COVID months replaced by a pre-COVID counterfactual for fitting and excluded from backtest errors; ' +
        'STP forecasts reconciled to add up to their region. The scenario projects age/sex-specific rates x projected population x non-demographic growth, ' +
        'minus avoided demand, to bed days and beds at the target occupancy.',
      parameters: [
        q('level', 'Series level', { enum: ['region', 'stp'] }, true),
        q('area', 'Region code, or STP code (E54...)', { type: 'string' }, true),
        q('service', 'Service', { enum: services }, true),
        q('horizon', 'Months ahead', { type: 'integer', minimum: 1, maximum: 60, default: 24 }),
        q('method', 'Forecasting method', { enum: ['auto', 'snaive', 'naive', 'ses', 'damped', 'ets', 'theta', 'combo'], default: 'auto' }),
        q('popGrowth', 'All-ages population growth, %/yr (older bands grow faster: x0.6 under 65, x3 65-74, x4 75-84, x5 85+)', { type: 'number', minimum: -10, maximum: 10, default: 0.5 }),
        q('nonDemGrowth', 'Non-demographic growth, %/yr', { type: 'number', minimum: -10, maximum: 10, default: 0 }),
        q('occupancy', 'Target bed occupancy: percentage 50-100 or fraction 0.5-1', { type: 'number', minimum: 0.5, maximum: 100, default: 92 }),
        {
          name: 'scheme', in: 'query', required: false, style: 'form', explode: true,
          description: 'What-if scheme <service>:<percent>:<YYYY-MM start>:<ramp months>; repeat or comma-separate, at most 5',
          schema: { type: 'array', maxItems: 5, items: { type: 'string', pattern: '^[a-z_]+:\\d+(\\.\\d+)?:\\d{4}-(0[1-9]|1[0-2]):\\d{1,2}$' } },
        },
        q('covid', 'COVID window treated as a shock: default (2020-03:2021-03), none, or YYYY-MM:YYYY-MM', { type: 'string', default: 'default' }),
        q('format', 'json (default: everything) or the forecast table as arrow or csv', { enum: ['json', 'arrow', 'csv'], default: 'json' }),
      ],
      responses: {
        200: {
          description: 'Forecast',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/ForecastResponse' } },
            'application/vnd.apache.arrow.stream': { schema: { type: 'string', format: 'binary' } },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        400: problem('A parameter is missing, unknown or out of bounds (param names it)'),
        401: problem('No or invalid bearer token'),
        403: problem('The role may not use this endpoint'),
      },
    },
  },
};
