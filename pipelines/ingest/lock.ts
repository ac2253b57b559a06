/**
 * One writer per warehouse: `<warehouse>.lock` holds the writer's pid. A lock left by a process
 * that no longer exists (killed run) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EXIT_USAGE, PipelineError } from './errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(warehouse: string): () => void {
  const file = `${warehouse}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new PipelineError(`cannot create ${file} (${(e as NodeJS.ErrnoException).code})`, EXIT_USAGE);
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new PipelineError(`another pipeline run (pid ${pid}) is writing ${warehouse}`, EXIT_USAGE);
      }
      rmSync(file, { force: true });
    }
  }
  throw new PipelineError(`cannot lock ${warehouse}`, EXIT_USAGE);
}
