/**
 * A worker thread of the generator: prepares the shared tables once, then generates the shards
 * the main thread sends it (one number at a time), reporting progress and the shard's result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { generateShard, prepare, type GenerateOptions } from './generate-record.ts';

const { options } = workerData as { options: GenerateOptions };
const prepared = prepare(options);
parentPort!.on('message', (shard: number) => {
  generateShard(options, prepared, shard, (done) => parentPort!.postMessage({ type: 'progress', done })).then(
    (result) => parentPort!.postMessage({ type: 'done', result }),
    (e: unknown) => parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
