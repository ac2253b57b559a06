import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** name -> sha256 from the manifest's `inputs` and `optOut` (objects with file|name|path and sha256). */
function manifestHashes(manifest: unknown): Map<string, string> | null {
  const m = manifest as { inputs?: unknown; optOut?: unknown } | null;
  if (!Array.isArray(m?.inputs)) return null;
  const out = new Map<string, string>();
  const entries = [...(m.inputs as Record<string, unknown>[]), ...(m.optOut && typeof m.optOut === 'object' ? [m.optOut as Record<string, unknown>] : [])];
  for (const i of entries) {
    const name = i.file ?? i.name ?? i.path;
    if (typeof name === 'string' && typeof i.sha256 === 'string') out.set(path.basename(name), i.sha256);
  }
  return out;
}

/**
 * Why the warehouse must be rebuilt from the sample record, or null when it is up to date:
 * every input file the manifest lists must still have its hash, and every record file in the
 * sample folder must be listed.
 */
export async function warehouseStaleness(warehouseDir: string, sampleDir: string): Promise<string | null> {
  const manifestFile = path.join(warehouseDir, 'manifest.json');
  if (!existsSync(manifestFile)) return 'no warehouse yet';
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch {
    return 'the warehouse manifest cannot be read';
  }
  const recorded = manifestHashes(manifest);
  if (!recorded || recorded.size === 0) return 'the manifest lists no input hashes';
  const files = readdirSync(sampleDir).filter((f) => statSync(path.join(sampleDir, f)).isFile());
  for (const f of files) {
    const listed = recorded.get(f);
    const isRecord = /\.ndjson(\.gz)?$/.test(f);
    if (listed === undefined) {
      if (isRecord) return `${f} is not in the manifest`;
      continue;
    }
    if (listed !== (await sha256(path.join(sampleDir, f)))) return `${f} changed since the last build`;
  }
  for (const name of recorded.keys()) {
    if (!files.includes(name)) return `${name} is no longer in ${sampleDir}`;
  }
  return null;
}

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(p)) {
    if (e === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(p, e)));
  }
  return newest;
}

/** Why the client must be built, or null when dist/ is newer than every client source. */
export function clientStaleness(repoRoot: string): string | null {
  const index = path.join(repoRoot, 'dist', 'index.html');
  if (!existsSync(index)) return 'no dist/ yet';
  const built = statSync(index).mtimeMs;
  const sources = [path.join(repoRoot, 'client'), path.join(repoRoot, 'vite.config.ts')].filter(existsSync);
  const newest = Math.max(0, ...sources.map(newestMtime));
  return newest > built ? 'client sources changed since the last build' : null;
}
