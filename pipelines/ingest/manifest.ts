/**
 * `manifest.json`: what went in (files, hashes), what came out (rows per table), what was
 * rejected and why (counts only: the records are in quarantine), and with which key and code.
 * The only file of the warehouse that holds timestamps.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../domain/reference-data.ts';
import type { BuildResult } from '../build/build-warehouse.ts';
import type { OptOutPolicy } from '../build/patients.ts';
import type { ResourceCounts } from './counts.ts';
import type { OptOutCounts } from './pseudonymise.ts';

export const SCHEMA_VERSION = 1;

export interface Manifest {
  schemaVersion: typeof SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  finishedAt: string;
  codeVersion: string;
  keyId: string;
  optOutPolicy: OptOutPolicy;
  asOf: string;
  inputs: { file: string; resourceType: string; bytes: number; sha256: string; lines: number; blankLines: number; invalidUtf8Lines: number }[];
  ignoredFiles: { file: string; bytes: number; lines: number }[];
  reference: { serviceMapping: string; lsoaReference: string };
  resources: Record<string, ResourceCounts & { excludedByOptOut?: number }>;
  optOut: OptOutCounts & { file: string; sha256: string; excludedPatients: number; excludedEvents: number };
  tables: BuildResult['tables'];
  eventPartitions: number;
  period: { from: string; to: string } | null;
  forecasts: BuildResult['forecasts'];
  quarantine: { folder: string; files: { file: string; rejects: number }[] };
  timingsSeconds: Record<string, number>;
}

/** package.json version, plus the git commit when the code is a git checkout. */
export function codeVersion(): string {
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return `${version}+${commit}`;
  } catch {
    return version;
  }
}

/**
 * A hash of the source that decides the output (this pipeline and the shared domain constants),
 * so an uncommitted code change is not mistaken for "up to date".
 */
export function codeHash(): string {
  const hash = createHash('sha256');
  for (const dir of ['pipelines/ingest', 'pipelines/build', 'domain']) {
    const full = path.join(repoRoot, dir);
    for (const name of readdirSync(full).filter((n) => n.endsWith('.ts')).sort()) {
      hash.update(`${dir}/${name}\0`).update(readFileSync(path.join(full, name))).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

/** Everything that decides the output bytes, and nothing else (no clock), so a re-run can be skipped. */
export function runIdOf(parts: {
  codeVersion: string;
  codeHash: string;
  keyId: string;
  policy: OptOutPolicy;
  asOf: string;
  inputs: { file: string; sha256: string }[];
  optOutSha256: string;
  reference: { serviceMapping: string; lsoaReference: string };
}): string {
  const canonical = JSON.stringify({ ...parts, inputs: parts.inputs.map((i) => [i.file, i.sha256]) });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Throws unless, for every resource type, read == loaded + rejected. Checked before publishing. */
export function assertReconciles(m: Pick<Manifest, 'resources'>): void {
  for (const [type, c] of Object.entries(m.resources)) {
    const byReason = Object.values(c.rejectedByReason).reduce((a, b) => a + b, 0);
    if (c.read !== c.loaded + c.rejected || byReason !== c.rejected) {
      throw new Error(`manifest does not reconcile for ${type}: read ${c.read}, loaded ${c.loaded}, rejected ${c.rejected} (${byReason} by reason)`);
    }
  }
}
