import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../context.ts';
import { requireRole } from '../auth/require-role.ts';
import { holdAudit, recordAuditNow, setAuditDetails } from '../audit/index.ts';
import { HttpProblem, badRequest, sendProblem } from '../http/problem.ts';
import { publishedRowCount } from '../disclosure/export/categories.ts';
import { EXPORT_FORMATS, tableToCsv, tableToJsonRows, writeParquet, type ExportFormat } from '../disclosure/export/formats.ts';
import { exportOptionsFromEnv, RateLimiter, type ExportOptions } from '../disclosure/export/limits.ts';
import { measureLabel, rulesLine } from '../disclosure/export/metadata.ts';
import { metadataToMarkdown, withLabels } from '../disclosure/export/metadata-sheet.ts';
import { tableToReadableCsv } from '../disclosure/export/readable.ts';
import { ExportRequestError, parseExportRequest } from '../disclosure/export/request.ts';
import { createExport, tablesNeeded } from '../disclosure/export/service.ts';
import { ExportStore, type ExportRecord } from '../disclosure/export/store.ts';

const HOUR = 3_600_000;

function bodySummary(body: unknown): Record<string, unknown> {
  try {
    return { body: JSON.stringify(body ?? null).slice(0, 500) };
  } catch {
    // jsonBody() refuses deep bodies before here; this is the belt to its braces.
    return { body: '(not summarisable)' };
  }
}

function formatOf(req: Request): { format: ExportFormat; labels: 'codes' | 'words' } {
  for (const key of Object.keys(req.query)) if (key !== 'format' && key !== 'labels') throw badRequest(key, `unknown parameter '${key}': only format and labels are accepted`);
  const f = req.query.format ?? 'csv';
  if (typeof f !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(f)) throw badRequest('format', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const labels = req.query.labels ?? 'codes';
  if (labels !== 'codes' && labels !== 'words') throw badRequest('labels', 'labels must be codes or words');
  // Words are for people reading a CSV; JSON and Parquet are for machines and keep the codes.
  if (labels === 'words' && f !== 'csv') throw badRequest('labels', 'labels=words is offered for format=csv only (JSON and Parquet keep the codes)');
  return { format: f as ExportFormat, labels };
}

/** `?format=json|md` of the metadata sheet: JSON (the default) or Markdown for people. */
function sheetFormatOf(req: Request): 'json' | 'md' {
  for (const key of Object.keys(req.query)) if (key !== 'format') throw badRequest(key, `unknown parameter '${key}': only format is accepted`);
  const f = req.query.format ?? 'json';
  if (f !== 'json' && f !== 'md') throw badRequest('format', 'format must be json or md');
  return f;
}

/**
 * Research exports (DESIGN.md section 9): researchers and admins build a table over the
 * research allow-list only, under disclosure control. Every request here is audited by the
 * app-level middleware (server/app.ts); a creation is appended to the audit log before it is
 * answered, so an export never exists without its entry. Results live under
 * `<stateDir>/exports/`, outside the warehouse.
 */
export function exportsRoutes(ctx: AppContext, overrides: Partial<ExportOptions> = {}): Router {
  const options: ExportOptions = { ...exportOptionsFromEnv(), ...overrides };
  const limiter = new RateLimiter(options.perHour, HOUR, options.now ?? Date.now);
  let storePromise: Promise<ExportStore> | null = null;
  const store = () => (storePromise ??= ExportStore.open(path.join(ctx.config.stateDir, 'exports')));
  const router = Router();
  const mayExport = requireRole('researcher', 'admin');
  // One export computed at a time: the disclosure audit is CPU-bound (up to a few seconds at the
  // row limit), so concurrent requests queue here instead of stacking up on the event loop.
  let computing: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(job: () => Promise<T>): Promise<T> => {
    const next = computing.then(job, job);
    computing = next.catch(() => undefined);
    return next;
  };

  /** The record if the caller may see it (owner, or an admin); 404 otherwise, so ids cannot be probed. */
  const visible = async (req: Request): Promise<ExportRecord> => {
    const id = String(req.params.id ?? '');
    const record = (await store()).get(id);
    if (!record || (record.owner !== req.user!.name && req.user!.role !== 'admin')) throw new HttpProblem(404, `No export ${id.slice(0, 60)} of yours.`);
    return record;
  };

  router.post('/exports', mayExport, async (req: Request, res: Response) => {
    // Held from the first line: if the client drops the connection at any await below, the entry
    // waits for how the request ended (the export and its id, or the refusal).
    const release = holdAudit(res);
    try {
      await postExport(req, res);
    } finally {
      release();
    }
  });

  const postExport = async (req: Request, res: Response): Promise<void> => {
    // req.is: false for a body of another type, null for no body at all (then a 400 below).
    if (req.is('application/json') === false) {
      const sent = req.get('content-type');
      sendProblem(res, 415, `Send the export request as JSON with Content-Type: application/json${sent ? ` (this request said ${JSON.stringify(sent.slice(0, 60))})` : ''}.`);
      return;
    }
    let r;
    try {
      r = parseExportRequest(req.body, ctx.warehouse.period);
    } catch (e) {
      if (!(e instanceof ExportRequestError)) throw e;
      setAuditDetails(res, { params: bodySummary(req.body), detail: e.message });
      throw badRequest(e.param, e.message);
    }
    setAuditDetails(res, { params: r });
    const rows = publishedRowCount(r);
    if (rows > options.maxCells) {
      const detail = `The table would have ${rows.toLocaleString('en-GB')} rows (cells and totals); the limit is ${options.maxCells.toLocaleString('en-GB')}. Choose fewer dimensions or a shorter period.`;
      setAuditDetails(res, { detail });
      sendProblem(res, 413, detail, { param: 'by' });
      return;
    }
    const missing = tablesNeeded(r).filter((t) => !ctx.warehouse.views.includes(t));
    if (missing.length) {
      sendProblem(res, 503, `This warehouse has no ${missing.join(', ')} table, which measure=${r.measure} needs.`);
      return;
    }
    const wait = limiter.take(req.user!.name);
    if (wait > 0) {
      const detail = `You have made ${options.perHour} exports in the last hour, the limit. Try again in ${Math.ceil(wait / 60)} minute(s).`;
      setAuditDetails(res, { detail });
      res.set('Retry-After', String(wait));
      sendProblem(res, 429, detail);
      return;
    }
    const exportStore = await store();
    const { record } = await oneAtATime(() => createExport(ctx, exportStore, req.user!, r, options));
    setAuditDetails(res, { rows: record.rows, suppressed: record.suppressed, exportId: record.id });
    // On record before the client learns the id, and whether or not it is still there to learn it.
    await recordAuditNow(res, 201);
    const base = `/api/exports/${record.id}`;
    res
      .status(201)
      .location(base)
      .json({ id: record.id, rows: record.rows, suppressed: record.suppressed, links: { csv: `${base}?format=csv`, parquet: `${base}?format=parquet`, json: `${base}?format=json`, metadata: `${base}/metadata` } });
  };

  router.get('/exports', mayExport, async (req: Request, res: Response) => {
    for (const key of Object.keys(req.query)) throw badRequest(key, `unknown parameter '${key}'`);
    res.set('Cache-Control', 'no-store').json({ exports: (await store()).listFor(req.user!.name) });
  });

  router.get('/exports/:id/metadata', mayExport, async (req: Request, res: Response) => {
    const format = sheetFormatOf(req);
    const record = await visible(req);
    setAuditDetails(res, { params: format === 'json' ? { id: record.id } : { id: record.id, format }, exportId: record.id, rows: record.rows, suppressed: record.suppressed });
    const sheet = await (await store()).metadata(record.id);
    res.set('Cache-Control', 'no-store');
    if (format === 'md') {
      res.attachment(`lhcre-export-${record.id}-metadata.md`).type('text/markdown; charset=utf-8').send(metadataToMarkdown(sheet));
      return;
    }
    res.json(withLabels(sheet));
  });

  router.get('/exports/:id', mayExport, async (req: Request, res: Response) => {
    const { format, labels } = formatOf(req);
    const record = await visible(req);
    setAuditDetails(res, { params: labels === 'words' ? { id: record.id, format, labels } : { id: record.id, format }, exportId: record.id, rows: record.rows, suppressed: record.suppressed });
    const s = await store();
    const table = await s.table(record.id);
    res.set('Cache-Control', 'no-store');
    const filename = `lhcre-export-${record.id}${labels === 'words' ? '-readable' : ''}.${format}`;
    if (format === 'json') {
      res.json({ meta: { id: record.id, measure: measureLabel(record.request), period: `${record.request.from} to ${record.request.to}`, sourceRunId: record.sourceRunId }, columns: table.columns, rows: tableToJsonRows(table) });
      return;
    }
    res.attachment(filename);
    if (format === 'csv') {
      const header = { measure: measureLabel(record.request), period: `${record.request.from} to ${record.request.to}`, sourceRunId: record.sourceRunId };
      const write = labels === 'words' ? tableToReadableCsv : tableToCsv;
      res.type('text/csv; charset=utf-8').send(write(table, header, rulesLine(options.disclosure)));
      return;
    }
    if (!(await s.hasParquet(record.id))) await writeParquet(ctx.db, table, s.parquetPath(record.id));
    // send's dotfiles rule answers 404 for a path with a dot-folder in it; with a root it looks only
    // at the part below the root, so a state folder such as `.demo/state` works.
    res.type('application/vnd.apache.parquet').sendFile(path.relative(s.dir, s.parquetPath(record.id)), { root: s.dir });
  });

  return router;
}
