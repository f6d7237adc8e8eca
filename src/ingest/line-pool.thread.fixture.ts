// A line-pool task for tests: which thread digested the chunk, and its lines.
import { threadId } from 'node:worker_threads';
import type { LineChunk } from './line-pool.ts';

export function digest(chunk: LineChunk): { result: { thread: number; lines: number }; transfer: ArrayBuffer[] } {
  return { result: { thread: threadId, lines: chunk.lines }, transfer: [] };
}
