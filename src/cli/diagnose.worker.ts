// Worker thread of `posops diagnose`: digests chunks of NDJSON lines (split, parse, validate, keys
// for duplicates) so that the main thread only parses the valid lines once more and folds them.
import { parentPort } from 'node:worker_threads';
import { digestChunk, type DigestForm } from './diagnose.chunk.ts';

interface Job {
  seq: number;
  bytes: Uint8Array;
  startsFile: boolean;
  form: DigestForm;
}

parentPort?.on('message', (job: Job) => {
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength).toString('utf8');
  const digest = digestChunk(text, job.startsFile, job.form);
  const transfer = [digest.keys.buffer as ArrayBuffer];
  if (digest.tsMs) transfer.push(digest.tsMs.buffer as ArrayBuffer);
  parentPort!.postMessage({ seq: job.seq, digest }, transfer);
});
