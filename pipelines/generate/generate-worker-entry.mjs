// The generator's worker threads start here: Node does not hand the main thread's TypeScript
// loader (tsx) to a worker, so it is registered before the worker's module is imported.
import { register } from 'tsx/esm/api';

register();
await import('./generate-worker.ts');
