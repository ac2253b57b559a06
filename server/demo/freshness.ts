import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

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
