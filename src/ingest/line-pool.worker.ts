// Worker thread of the line pool (line-pool.ts): runs a task module on each chunk it is sent and
// posts the digest back, moving its typed arrays instead of copying. The pool bundles this file
// with the task module into one plain script (no TypeScript loader to start in the thread).
import { parentPort } from 'node:worker_threads';
import type { LineChunk, LineTask } from './line-pool.ts';

export function serveLineTask(task: LineTask<unknown>, options: unknown): void {
  parentPort?.on('message', (job: { seq: number; chunk: LineChunk }) => {
    const c = job.chunk;
    // structured clone turns the Buffer into a plain Uint8Array
    const chunk: LineChunk = { ...c, bytes: Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength) };
    const { result, transfer } = task.digest(chunk, options);
    parentPort!.postMessage({ seq: job.seq, result }, transfer);
  });
}
