// One segment file: a 24-byte header (magic, base offset, creation time) followed by framed records.
// Files are named by their base offset, so listing the folder gives the segments in order.
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecord, type DecodedRecord } from './record.ts';

export const SEGMENT_HEADER_BYTES = 24;
const MAGIC = Buffer.from('POSLOG1\n', 'latin1');
const NAME_RE = /^(\d{20})\.seg$/;
const READ_CHUNK_BYTES = 1024 * 1024;

export interface SegmentInfo {
  base: number;
  path: string;
  /** When the segment was created (ms); every record of the segment before it was appended earlier. */
  createdAt: number;
  /** Bytes on disk (for the active segment: bytes made durable). */
  size: number;
}

export function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}.seg`;
}

export function encodeSegmentHeader(base: number, createdAt: number): Buffer {
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeDoubleLE(base, 8);
  header.writeDoubleLE(createdAt, 16);
  return header;
}

/** Reads the header; undefined when the file is shorter than a header or not a segment. */
export function decodeSegmentHeader(header: Buffer): { base: number; createdAt: number } | undefined {
  if (header.length < SEGMENT_HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC)) return undefined;
  return { base: header.readDoubleLE(8), createdAt: header.readDoubleLE(16) };
}

/** Segment files of `dir` ordered by base offset (headers not read yet). */
export async function listSegmentFiles(dir: string): Promise<{ base: number; path: string }[]> {
  const names = await readdir(dir);
  const out: { base: number; path: string }[] = [];
  for (const name of names) {
    const m = NAME_RE.exec(name);
    if (m) out.push({ base: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => a.base - b.base);
}

export interface ScannedRecord extends DecodedRecord {
  /** Byte position of the record in its segment file. */
  pos: number;
}

/**
 * Reads the records of a segment from byte `start`, in order, reading at most up to `end`.
 * Stops at the first record that is cut short or fails its CRC and reports where through `stop`.
 */
export async function* scanSegment(
  fh: FileHandle,
  start: number,
  end: number,
  stop: { pos: number; reason?: 'partial' | 'corrupt' } = { pos: start },
): AsyncGenerator<ScannedRecord> {
  let buf = Buffer.alloc(0);
  let bufStart = start; // file position of buf[0]
  let filePos = start; // next file position to read
  stop.pos = start;
  for (;;) {
    const want = Math.min(READ_CHUNK_BYTES, end - filePos);
    let bytesRead = 0;
    if (want > 0) {
      const chunk = Buffer.allocUnsafe(want);
      bytesRead = (await fh.read(chunk, 0, want, filePos)).bytesRead;
      buf = buf.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      filePos += bytesRead;
    }
    let at = 0;
    for (;;) {
      const rec = decodeRecord(buf, at);
      if (rec === 'partial') break;
      if (rec === 'corrupt') {
        stop.pos = bufStart + at;
        stop.reason = 'corrupt';
        return;
      }
      yield { ...rec, pos: bufStart + at };
      at += rec.size;
    }
    buf = buf.subarray(at);
    bufStart += at;
    stop.pos = bufStart;
    if (bytesRead === 0) {
      if (buf.length > 0) stop.reason = 'partial';
      return;
    }
  }
}

/** Opens a segment file and reads its header. */
export async function openSegment(path: string, flags: string): Promise<{ fh: FileHandle; header?: { base: number; createdAt: number }; size: number }> {
  const fh = await open(path, flags);
  const { size } = await fh.stat();
  const header = Buffer.alloc(SEGMENT_HEADER_BYTES);
  const { bytesRead } = await fh.read(header, 0, SEGMENT_HEADER_BYTES, 0);
  return { fh, header: decodeSegmentHeader(header.subarray(0, bytesRead)), size };
}

/** fsync of a folder, so a created or deleted file survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
