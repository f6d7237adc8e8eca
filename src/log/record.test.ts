import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, crc32Portable, decodeRecord, encodeRecords, RECORD_HEADER_BYTES } from './record.ts';

test('crc32Portable() matches the standard check value and node:zlib', () => {
  const data = Buffer.from('123456789');
  assert.equal(crc32Portable(data), 0xcbf43926);
  assert.equal(crc32(data), 0xcbf43926);
  const text = Buffer.from('{"terminal":"T1","ts":"2026-06-04T09:37:49Z","text":"中文 ✓"}');
  assert.equal(crc32Portable(text), crc32(text));
});

test('encodeRecords() frames ASCII and multi-byte records alike, whatever their place in the batch', () => {
  const records = ['{"a":1}', 'é✓中', Buffer.from('raw'), '', 'x✓', '😀'];
  const buf = encodeRecords(records, 1234.5);
  let pos = 0;
  const out: string[] = [];
  while (pos < buf.length) {
    const rec = decodeRecord(buf, pos);
    assert.ok(typeof rec === 'object', `record at ${pos} is ${String(rec)}`);
    assert.equal(rec.appendedAt, 1234.5);
    out.push(rec.data.toString('utf8'));
    pos += rec.size;
  }
  assert.deepEqual(out, records.map(String));
  assert.equal(pos, buf.length);
  assert.equal(decodeRecord(buf.subarray(0, RECORD_HEADER_BYTES + 3), 0), 'partial');
  const flipped = Buffer.from(buf);
  flipped[RECORD_HEADER_BYTES + 1] = flipped[RECORD_HEADER_BYTES + 1]! ^ 1;
  assert.equal(decodeRecord(flipped, 0), 'corrupt');
});
