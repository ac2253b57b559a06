/**
 * Finds the input files (`<ResourceType>*.ndjson[.gz]`) and fingerprints them. The hashes make
 * the run id, so an unchanged input is detected without reading it into DuckDB.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { EXIT_USAGE, PipelineError } from './errors.ts';
import { MAX_LINE_BYTES } from './read-lines.ts';
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
 * LF-terminated lines of a byte stream fed in chunks, plus an unterminated last one. With
 * `forFastPath`, the count is null once a CR byte is seen (DuckDB's line reader also ends a line
 * at a lone CR, so only without CRs are the two counts the same by construction) or a line is
 * longer than `MAX_LINE_BYTES` (such a line is rejected as `line_too_long`, which only the
 * line-by-line staging does).
 */
class LineCounter {
  private lines = 0;
  private last = 0x0a;
  private unknown = false;
  /** Bytes of the line not yet ended by an LF. */
  private current = 0;
  constructor(private readonly forFastPath: boolean) {}
  add(chunk: Buffer): void {
    if (this.unknown || !chunk.length) return;
    if (this.forFastPath && chunk.includes(0x0d)) {
      this.unknown = true;
      return;
    }
    let start = 0;
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, start)) {
      this.lines++;
      this.tooLong(this.current + i - start);
      this.current = 0;
      start = i + 1;
    }
    this.current += chunk.length - start;
    this.tooLong(this.current);
    this.last = chunk[chunk.length - 1]!;
  }
  private tooLong(bytes: number): void {
    if (this.forFastPath && bytes > MAX_LINE_BYTES) this.unknown = true;
  }
  result(): number | null {
    return this.unknown ? null : this.lines + (this.last === 0x0a ? 0 : 1);
  }
}

/** Lines of a file (decompressed for `.gz`), counted as `LineCounter` does. */
async function countFileLines(file: string, forFastPath: boolean): Promise<number | null> {
  const input = createReadStream(file);
  const stream = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const counter = new LineCounter(forFastPath);
  for await (const chunk of stream as AsyncIterable<Buffer>) counter.add(chunk);
  return counter.result();
}

/**
 * LF-terminated lines in a file, plus an unterminated last one. The staging's line reader also
 * ends a line at a lone CR, so for files with CR bytes the two can differ (`inputScans`).
 */
export async function countLines(file: string): Promise<number> {
  return (await countFileLines(file, false))!;
}

/** What Node reads of an input file: its hash (the run id) and its line count (the Encounter fast path's check). */
export interface InputScans {
  /** Of the file's bytes as stored (compressed for `.gz`). */
  sha256(file: string): Promise<string>;
  /**
   * `countLines` of the (decompressed) content when it has no CR byte and no line over
   * `MAX_LINE_BYTES`, else null (the file then goes line by line): DuckDB's line reader
   * (`linesSql`) also ends a line at a lone CR, so only without CRs are the two counts the same by
   * construction, and only the line-by-line staging rejects a line as `line_too_long`.
   */
  fastPathLines(file: string): Promise<number | null>;
}

async function hashAndCount(file: string, count: boolean): Promise<{ sha256: string; lines: number | null }> {
  const hash = createHash('sha256');
  const counter = new LineCounter(true);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    if (count) counter.add(chunk);
  }
  return { sha256: hash.digest('hex'), lines: count ? counter.result() : null };
}

/**
 * Each file read once in Node, whoever asks first (the fingerprint or the staging): a plain file's
 * hash and line count come from the same read, instead of reading gigabytes twice beside DuckDB.
 * A gzip file's count needs decompressing, so it is a separate read made only when the staging asks
 * (an "up to date" check over gzip inputs hashes them and no more).
 */
export function inputScans(): InputScans {
  const reads = new Map<string, Promise<{ sha256: string; lines: number | null }>>();
  const gzCounts = new Map<string, Promise<number | null>>();
  const memo = <T>(map: Map<string, Promise<T>>, file: string, make: () => Promise<T>): Promise<T> => {
    let p = map.get(file);
    if (!p) {
      p = make();
      p.catch(() => {}); // awaited by whoever asked; this only stops an unread failure going unhandled
      map.set(file, p);
    }
    return p;
  };
  const read = (file: string) => memo(reads, file, () => hashAndCount(file, !file.endsWith('.gz')));
  return {
    sha256: async (file) => (await read(file)).sha256,
    fastPathLines: (file) => (file.endsWith('.gz') ? memo(gzCounts, file, () => countFileLines(file, true)) : read(file).then((r) => r.lines)),
  };
}
