/**
 * Finds the input files (`<ResourceType>*.ndjson[.gz]`) and fingerprints them. The hashes make
 * the run id, so an unchanged input is detected without reading it into DuckDB.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { EXIT_USAGE, PipelineError } from './errors.ts';
import { RESOURCE_TYPES, type ResourceType } from './reasons.ts';

export interface InputFile {
  /** Name relative to the input folder (what the manifest and quarantine show). */
  file: string;
  path: string;
  /** The FHIR resource type from the name, or null for any other `.ndjson` file. */
  resourceType: string | null;
  bytes: number;
  /** Filled in by the run's fingerprinting step (it may overlap the reading). */
  sha256: string;
}

const NDJSON = /\.ndjson(\.gz)?$/;
/** `Encounter.000.ndjson`, `Encounter_2.ndjson.gz`: the type is the leading word, so `EncounterHistory` is not an Encounter. */
const TYPE_PREFIX = /^([A-Z][A-Za-z]*)(?=[._\-0-9])/;

export function consumedType(t: string | null): ResourceType | null {
  return (RESOURCE_TYPES as readonly string[]).includes(t ?? '') ? (t as ResourceType) : null;
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function discoverInputs(dir: string): Promise<InputFile[]> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new PipelineError(`the input ${dir} is not a folder`, EXIT_USAGE);
    names = readdirSync(dir);
  } catch (cause) {
    if (cause instanceof PipelineError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? 'error';
    throw new PipelineError(`cannot read the input folder ${dir} (${code === 'ENOENT' ? 'it does not exist' : code})`, EXIT_USAGE, { cause });
  }
  const files: InputFile[] = [];
  for (const name of names.filter((n) => NDJSON.test(n)).sort()) {
    const full = path.join(dir, name);
    const st = statSync(full);
    if (!st.isFile()) continue;
    files.push({ file: name, path: full, resourceType: TYPE_PREFIX.exec(name)?.[1] ?? null, bytes: st.size, sha256: '' });
  }
  return files;
}

/**
 * LF-terminated lines in a file, plus an unterminated last one. The staging's line reader also
 * ends a line at a lone CR, so for files with CR bytes the two can differ (`countLinesWithoutCr`).
 */
export async function countLines(file: string): Promise<number> {
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1]!;
  }
  return lines + (last === 0x0a ? 0 : 1);
}

/**
 * `countLines` for a file without any CR byte, else null: DuckDB's line reader (`linesSql`) also
 * ends a line at a lone CR, so only without CRs are the two counts the same by construction.
 */
export async function countLinesWithoutCr(file: string): Promise<number | null> {
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  let lines = 0;
  let last = 0x0a;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.includes(0x0d)) return null;
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) lines++;
      if (chunk.length) last = chunk[chunk.length - 1]!;
    }
  } finally {
    input.destroy();
  }
  return lines + (last === 0x0a ? 0 : 1);
}
