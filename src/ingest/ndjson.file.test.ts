import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readNdjsonBatches, readNdjsonFile, type NdjsonLine } from './index.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-ndjson-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, maxLineBytes?: number): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const l of readNdjsonFile(path, maxLineBytes ? { maxLineBytes } : {})) out.push(l);
  return out;
}

const TEXT = '\ufeff{"a":1}\r\n\n   \n{"b":"é中文"}\n{"c":3}';

test('readNdjsonFile() yields non-blank lines with 1-based numbers, without CR, BOM or a final break', async () => {
  const path = join(dir, 'plain.ndjson');
  await writeFile(path, TEXT);
  assert.deepEqual(await collect(path), [
    { line: 1, text: '{"a":1}' },
    { line: 4, text: '{"b":"é中文"}' },
    { line: 5, text: '{"c":3}' },
  ]);
});

test('gzip is read transparently, by the .gz name and by magic bytes alone', async () => {
  const named = join(dir, 'events.ndjson.gz');
  const unnamed = join(dir, 'events.bin');
  await writeFile(named, gzipSync(TEXT));
  await writeFile(unnamed, gzipSync(TEXT));
  const expected = await collect(join(dir, 'plain.ndjson'));
  assert.deepEqual(await collect(named), expected);
  assert.deepEqual(await collect(unnamed), expected);
});

test('a line over the limit is skipped while reading and reported with its size; the lines around it are kept', async () => {
  const path = join(dir, 'huge.ndjson');
  const huge = 'x'.repeat(3 * 1024 * 1024); // spans several read chunks
  await writeFile(path, `{"a":1}\n${huge}\n{"b":2}\n${'y'.repeat(2000)}`);
  const lines = await collect(path, 1024);
  assert.deepEqual(lines, [
    { line: 1, text: '{"a":1}' },
    { line: 2, text: '', error: `line is ${huge.length} bytes, over the 1024-byte limit` },
    { line: 3, text: '{"b":2}' },
    { line: 4, text: '', error: 'line is 2000 bytes, over the 1024-byte limit' },
  ]);
});

test('multi-byte characters split across read chunks survive, and progress reports bytes read', async () => {
  const path = join(dir, 'wide.ndjson');
  const rows = Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ i, s: '中文字符' }));
  await writeFile(path, rows.join('\n') + '\n');
  let bytes = 0;
  let count = 0;
  let batches = 0;
  for await (const batch of readNdjsonBatches(path, { onBytes: (n) => (bytes = n) })) {
    batches++;
    for (const l of batch) assert.equal(l.text, rows[count++]);
  }
  assert.equal(count, rows.length);
  assert.ok(batches > 1);
  assert.equal(bytes, Buffer.byteLength(rows.join('\n') + '\n'));
});

test('a missing file fails with its name', async () => {
  await assert.rejects(collect(join(dir, 'nope.ndjson')), /ENOENT.*nope\.ndjson/);
});
