// Reading the log from an offset: walks the segments in order, skipping to the offset.
import type { FileHandle } from 'node:fs/promises';
import { PosopsError } from '../domain/index.ts';
import type { LogRecord } from './log.types.ts';
import { SEGMENT_HEADER_BYTES, openSegment, scanSegment, type SegmentInfo } from './segment.ts';

async function openIfPresent(path: string): Promise<{ fh: FileHandle; size: number } | undefined> {
  try {
    return await openSegment(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // expired while reading
    throw err;
  }
}

function startIndex(segments: SegmentInfo[], from: number): number {
  let i = 0;
  while (i + 1 < segments.length && segments[i + 1]!.base <= from) i++;
  return i;
}

/** Records with from <= offset < end, in order. */
export async function* readSegments(snapshot: () => SegmentInfo[], from: number, end: number): AsyncGenerator<LogRecord> {
  const segments = snapshot();
  for (let i = startIndex(segments, from); i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.base >= end) return;
    const opened = await openIfPresent(seg.path);
    if (!opened) continue;
    const limit = Math.min(end, segments[i + 1]?.base ?? end);
    let offset = seg.base;
    const stop: { pos: number; reason?: 'partial' | 'corrupt' } = { pos: SEGMENT_HEADER_BYTES };
    try {
      for await (const rec of scanSegment(opened.fh, SEGMENT_HEADER_BYTES, opened.size, stop)) {
        if (offset >= limit) break;
        if (offset >= from) yield { offset, data: rec.data, appendedAt: rec.appendedAt };
        offset++;
      }
    } finally {
      await opened.fh.close();
    }
    if (offset < limit) {
      throw new PosopsError('LOG_CORRUPT', `segment ${seg.path} ends at record ${offset} (byte ${stop.pos}, ${stop.reason ?? 'short'}) but should reach ${limit}`);
    }
  }
}
