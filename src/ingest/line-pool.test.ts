// The line pool against the in-thread import: same records in the log, same counts, same
// rejected lines (numbers across chunks, BOM, CRLF, gzip, over-long lines, non-ASCII, PAN).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { openSegmentLog } from '../log/index.ts';
import { createIngestor, digestLineChunks, importNdjsonFile, readLineChunks } from './index.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'posops-linepool-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function eventLine(i: number): string {
  const extra = i % 7 === 0 ? ',"operator":"收银员"' : '';
  return `{"v":1,"id":"e${i}","type":"txn","terminal":"T${i % 13}","ts":"2026-06-04T09:${String(i % 60).padStart(2, '0')}:00Z","rc":"00"${extra}}`;
}

function sampleText(): string {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(eventLine(i));
  lines.splice(5, 0, 'not json');
  lines.splice(900, 0, '', '   ', eventLine(3)); // blanks, then a duplicate
  lines.splice(1500, 0, 'x'.repeat(5000)); // over the 4,000-byte limit used below
  lines.splice(2000, 0, '{"v":1,"id":"p","type":"txn","terminal":"T1","ts":"2026-06-04T01:00:00Z","operator":"4111 1111 1111 1111"}');
  return '\ufeff' + lines.join('\r\n') + '\n' + 'y'.repeat(6000);
}

async function importWith(path: string, workers: number): Promise<{ result: unknown; records: string[] }> {
  const logDir = await mkdtemp(join(dir, `log-${workers}-`));
  const log = await openSegmentLog(logDir);
  const ingestor = await createIngestor({ log });
  const result = await importNdjsonFile(ingestor, path, { workers, chunkBytes: 8 * 1024, maxLineBytes: 4000 });
  await ingestor.close();
  const records: string[] = [];
  for await (const r of log.read(0)) records.push(r.data.toString('utf8'));
  await log.close();
  return { result, records };
}

test('pooled import equals the in-thread import: log records, counts and rejected line numbers', async () => {
  const path = join(dir, 'events.ndjson');
  await writeFile(path, sampleText());
  await writeFile(`${path}.gz`, gzipSync(sampleText()));
  const inThread = await importWith(path, 0);
  const r = inThread.result as { accepted: number; duplicates: number; rejected: number; rejections: { line: number; error: string }[] };
  assert.equal(r.accepted, 3000);
  assert.equal(r.duplicates, 1);
  assert.deepEqual(r.rejections.map((x) => x.line), [6, 1501, 2001, 3007]);
  assert.match(r.rejections[1]!.error, /5000 bytes/);
  assert.match(r.rejections[2]!.error, /card number/);
  assert.equal(inThread.records[0], eventLine(0), 'stored as sent, without BOM or CR');
  assert.deepEqual(await importWith(path, 1), inThread);
  assert.deepEqual(await importWith(`${path}.gz`, 2), inThread);
});

test('readLineChunks() cuts at line breaks and numbers the chunks', async () => {
  const path = join(dir, 'numbers.ndjson');
  await writeFile(path, Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n'));
  let expected = 1;
  for await (const c of readLineChunks(path, { chunkBytes: 1000 })) {
    assert.equal(c.firstLine, expected);
    assert.ok(c.bytes.toString().startsWith(`line ${expected}\n`) || c.lines === 1);
    expected += c.lines;
  }
  assert.equal(expected, 1001);
});

test('readLineChunks() with reads larger than chunks gives the same lines, numbers and long-line reports', async () => {
  const path = join(dir, 'cut.ndjson');
  await writeFile(path, sampleText());
  const lines = async (readBytes: number): Promise<{ line: number; text: string }[]> => {
    const out: { line: number; text: string }[] = [];
    for await (const c of readLineChunks(path, { chunkBytes: 4 * 1024, readBytes, maxLineBytes: 4000 })) {
      const texts = c.bytes.toString('utf8').split('\n');
      if (texts.at(-1) === '') texts.pop();
      assert.equal(texts.length, c.lines);
      for (const l of c.longLines) out.push({ line: c.firstLine + l.index, text: `long ${l.bytes}` });
      texts.forEach((text, i) => out.push({ line: c.firstLine + i, text }));
      assert.ok(c.bytes.length < 3 * 4 * 1024 || c.lines === 1);
    }
    return out;
  };
  const small = await lines(4 * 1024);
  assert.deepEqual(await lines(64 * 1024), small);
  assert.deepEqual(await lines(1024 * 1024), small);
  assert.ok(small.some((l) => l.text === 'long 6000'));
});

test('reading with a progress callback loses nothing: every line of a multi-read file, plain and gzip, bytes up to the size', async () => {
  const text = Array.from({ length: 40_000 }, (_, i) => eventLine(i)).join('\n') + '\n';
  const plain = join(dir, 'progress.ndjson');
  const gz = join(dir, 'progress.ndjson.gz');
  await writeFile(plain, text);
  await writeFile(gz, gzipSync(text));
  for (const [path, size] of [[plain, Buffer.byteLength(text)], [gz, gzipSync(text).length]] as const) {
    let lines = 0;
    let seen = 0;
    for await (const c of readLineChunks(path, { chunkBytes: 16 * 1024, readBytes: 256 * 1024, onBytes: (n) => (seen = Math.max(seen, n)) })) lines += c.lines;
    assert.equal(lines, 40_000, path);
    assert.equal(seen, size, `${path}: bytes reported`);
    const logDir = await mkdtemp(join(dir, 'log-progress-'));
    const log = await openSegmentLog(logDir);
    const ingestor = await createIngestor({ log });
    const r = (await importNdjsonFile(ingestor, path, { workers: 0, onBytes: () => undefined })) as { accepted: number };
    await ingestor.close();
    await log.close();
    assert.equal(r.accepted, 40_000, `${path}: posops import with its progress bar keeps every event`);
  }
});

test('a pool is started once per process and kept: the next file goes to the same warm worker, and an idle pool does not keep the process alive', async () => {
  const path = join(dir, 'threads.ndjson');
  await writeFile(path, sampleText());
  const task = new URL('./line-pool.thread.fixture.ts', import.meta.url);
  const threadsOf = async (): Promise<Set<number>> => {
    const threads = new Set<number>();
    for await (const { result } of digestLineChunks<{ thread: number }>(path, { task, workers: 1, chunkBytes: 8 * 1024 })) threads.add(result.thread);
    return threads;
  };
  const first = await threadsOf();
  const second = await threadsOf();
  assert.equal(first.size, 1);
  assert.ok(!first.has(threadId), 'digested in a worker');
  assert.deepEqual(second, first);
  // a process that used a pool ends by itself when its work is done
  const script = `import { digestLineChunks } from ${JSON.stringify(new URL('./index.ts', import.meta.url).href)};
let n = 0;
const threads = new Set();
for await (const c of digestLineChunks(${JSON.stringify(path)}, { task: new URL(${JSON.stringify(task.href)}), workers: 1, chunkBytes: 8192 })) {
  n += c.result.lines;
  threads.add(c.result.thread);
}
console.log(JSON.stringify({ n, threads: [...threads] }));`;
  const file = join(dir, 'pool-exit.mts');
  await writeFile(file, script);
  const child = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the process did not end with an idle pool'));
    }, 20_000);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  assert.equal(code, 0);
  const seen = JSON.parse(out) as { n: number; threads: number[] };
  assert.ok(seen.n > 3000, out);
  assert.ok(seen.threads.length === 1 && seen.threads[0] !== 0, `digested in one worker: ${out}`);
});
