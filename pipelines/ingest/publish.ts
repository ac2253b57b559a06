/**
 * Atomic publication. A run writes `<warehouse>.tmp-<runId>`, then swaps it in with two renames,
 * keeping the old warehouse as `<warehouse>.prev` until the new one is in place. If a run dies
 * between the renames, the next run finds `.prev` without a warehouse and puts it back first.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

export const prevDir = (warehouse: string) => `${warehouse}.prev`;
export const tmpDir = (warehouse: string, runId: string) => `${warehouse}.tmp-${runId}`;

/** Undo a half-finished publish and remove abandoned temporary folders. Returns what it did. */
export function recoverInterruptedPublish(warehouse: string): string[] {
  const done: string[] = [];
  const prev = prevDir(warehouse);
  if (existsSync(prev)) {
    if (existsSync(warehouse)) rmSync(prev, { recursive: true, force: true });
    else {
      renameSync(prev, warehouse);
      done.push(`restored the previous warehouse from ${prev}`);
    }
  }
  const parent = path.dirname(path.resolve(warehouse));
  const base = path.basename(path.resolve(warehouse));
  if (existsSync(parent)) {
    for (const name of readdirSync(parent)) {
      if (name.startsWith(`${base}.tmp-`) || name.startsWith(`${base}.spill-`)) {
        rmSync(path.join(parent, name), { recursive: true, force: true });
        done.push(`removed the abandoned ${name}`);
      }
    }
  }
  return done;
}

/** `beforeSwap` exists for the tests, which simulate a crash at that point. */
export function publish(tmp: string, warehouse: string, hooks: { beforeSwap?: () => void } = {}): void {
  const prev = prevDir(warehouse);
  rmSync(prev, { recursive: true, force: true });
  const hadPrevious = existsSync(warehouse);
  if (hadPrevious) renameSync(warehouse, prev);
  hooks.beforeSwap?.();
  renameSync(tmp, warehouse);
  if (hadPrevious) rmSync(prev, { recursive: true, force: true });
}
