/**
 * Where a path really leads, for the checks that keep the quarantine (identifiers) out of the
 * warehouse (which the server reads and people copy). A plain `path.resolve` comparison is fooled
 * by a symlink: `--quarantine q` with `q -> warehouse/rejects` looks outside and is not, and the
 * next publish (which replaces the warehouse folder) would delete the rejects with it.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { EXIT_USAGE, PipelineError } from './errors.ts';

/** As many links as Linux follows before ELOOP. */
const MAX_LINKS = 40;

/**
 * The real path of `p`, resolving every symlink, also for a path that does not exist yet: the real
 * path of its nearest existing ancestor, then the rest. A dangling symlink is followed to its
 * target, which is where creating the folder would put it.
 */
export function realPathOf(p: string): string {
  let links = 0;
  const resolve = (abs: string): string => {
    try {
      return realpathSync.native(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ELOOP') {
        throw new PipelineError(`cannot resolve ${abs} (${code})`, EXIT_USAGE, { cause: e });
      }
    }
    const st = lstatOrNull(abs);
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new PipelineError(`too many symbolic links resolving ${p}`, EXIT_USAGE);
      return resolve(path.resolve(path.dirname(abs), readlinkSync(abs)));
    }
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(resolve(parent), path.basename(abs));
  };
  return resolve(path.resolve(p));
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** True when `child` is `parent` or below it (both already real, absolute paths). */
export function isWithin(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}
