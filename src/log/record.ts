// Record framing of a log segment: [u32 length][u32 crc32][f64 appendedAt ms][data].
// The CRC covers appendedAt and data, so a torn or flipped record is found on open and on read.
import * as zlib from 'node:zlib';

export const RECORD_HEADER_BYTES = 16;
/** Longest record the log takes; anything longer is a caller bug (ingest caps lines at 64 KiB). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

let TABLE: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE), table-driven; used when node:zlib has no crc32 (Node < 20.15). */
export function crc32Portable(data: Uint8Array, initial = 0): number {
  TABLE ??= crc32Table();
  let crc = (initial ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const nativeCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
export const crc32: (data: Uint8Array, initial?: number) => number = nativeCrc ?? crc32Portable;

function frame(buf: Buffer, pos: number, size: number, appendedAt: number): number {
  const dataStart = pos + RECORD_HEADER_BYTES;
  buf.writeUInt32LE(size, pos);
  buf.writeDoubleLE(appendedAt, pos + 8);
  buf.writeUInt32LE(crc32(buf.subarray(pos + 8, dataStart + size)), pos + 4);
  return dataStart + size;
}

/** Fast path: every string is ASCII, so its byte length is its length. Undefined when one is not. */
function encodeAscii(records: readonly (string | Buffer)[], appendedAt: number): Buffer | undefined {
  let total = 0;
  for (const r of records) total += RECORD_HEADER_BYTES + r.length;
  // 4 spare bytes: a non-ASCII last string can then never be cut to exactly its length
  const buf = Buffer.allocUnsafe(total + 4);
  let pos = 0;
  for (const r of records) {
    if (r.length > MAX_RECORD_BYTES) return undefined;
    const written = typeof r === 'string' ? buf.write(r, pos + RECORD_HEADER_BYTES, 'utf8') : r.copy(buf, pos + RECORD_HEADER_BYTES);
    if (written !== r.length) return undefined; // multi-byte characters: take the exact path
    pos = frame(buf, pos, written, appendedAt);
  }
  return buf.subarray(0, total);
}

/** Encodes records into one buffer, ready for a single write. */
export function encodeRecords(records: readonly (string | Buffer)[], appendedAt: number): Buffer {
  const fast = encodeAscii(records, appendedAt);
  if (fast) return fast;
  let total = 0;
  const sizes = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const size = typeof r === 'string' ? Buffer.byteLength(r) : r.length;
    if (size > MAX_RECORD_BYTES) throw new RangeError(`log record ${i} is ${size} bytes, over the ${MAX_RECORD_BYTES}-byte limit`);
    sizes[i] = size;
    total += RECORD_HEADER_BYTES + size;
  }
  const buf = Buffer.allocUnsafe(total);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (typeof r === 'string') buf.write(r, pos + RECORD_HEADER_BYTES, sizes[i]!, 'utf8');
    else r.copy(buf, pos + RECORD_HEADER_BYTES);
    pos = frame(buf, pos, sizes[i]!, appendedAt);
  }
  return buf;
}

export interface DecodedRecord {
  data: Buffer;
  appendedAt: number;
  /** Bytes the record takes on disk, header included. */
  size: number;
}

/**
 * Decodes the record at `pos`. Returns 'partial' when the buffer ends inside it (read more),
 * 'corrupt' when its length or CRC is wrong.
 */
export function decodeRecord(buf: Buffer, pos: number): DecodedRecord | 'partial' | 'corrupt' {
  if (buf.length - pos < RECORD_HEADER_BYTES) return 'partial';
  const size = buf.readUInt32LE(pos);
  if (size > MAX_RECORD_BYTES) return 'corrupt';
  const end = pos + RECORD_HEADER_BYTES + size;
  if (end > buf.length) return 'partial';
  const crc = buf.readUInt32LE(pos + 4);
  if (crc32(buf.subarray(pos + 8, end)) !== crc) return 'corrupt';
  return { data: buf.subarray(pos + RECORD_HEADER_BYTES, end), appendedAt: buf.readDoubleLE(pos + 8), size: RECORD_HEADER_BYTES + size };
}
