// Worker thread of `posops diagnose`: digests chunks of NDJSON lines (parse, validate, keep the
// fields the engine reads) so that the main thread only folds events into the engine.
import { parentPort } from 'node:worker_threads';
import { digestChunk } from './diagnose.chunk.ts';

interface Job {
  seq: number;
  bytes: Uint8Array;
  startsFile: boolean;
}

parentPort?.on('message', (job: Job) => {
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength).toString('utf8');
  const digest = digestChunk(text, job.startsFile, true);
  parentPort!.postMessage({ seq: job.seq, digest }, [digest.keys.buffer as ArrayBuffer]);
});
