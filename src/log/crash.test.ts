import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../test/support/eventually.ts';
import { openSegmentLog } from './index.ts';

const FIXTURE = fileURLToPath(new URL('./crash.fixture.ts', import.meta.url));
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

interface Ack {
  offset: number;
  first: number;
  count: number;
}

/** Runs the appending child until it has acknowledged `minRecords`, then kills it with SIGKILL. */
async function appendAndKill(dir: string, firstId: number, minRecords: number): Promise<Ack[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, dir, String(firstId)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const acks = (): Ack[] =>
    out
      .split('\n')
      .filter((l) => l.startsWith('ack '))
      .map((l) => {
        const [, offset, first, count] = l.split(' ').map(Number);
        return { offset: offset!, first: first!, count: count! };
      });
  try {
    await eventually(() => {
      assert.equal(child.exitCode, null, `the child exited early: ${err}`);
      const acked = acks().reduce((n, a) => n + a.count, 0);
      assert.ok(acked >= minRecords, `only ${acked} records acknowledged so far`);
    }, 20_000);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  return acks();
}

test('kill -9 during a load loses no acknowledged record, corrupts nothing, and the log stays appendable', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-crash-'));
  dirs.push(dir);
  const acked: Ack[] = [];
  for (let round = 0; round < 2; round++) {
    acked.push(...(await appendAndKill(dir, round * 1_000_000, 1500)));
    const log = await openSegmentLog(dir, { segmentBytes: 256 * 1024 });
    t.diagnostic(`round ${round}: ${log.nextOffset()} records in ${log.segmentCount()} segments; tail cut: ${log.recovery ? `${log.recovery.truncatedBytes} bytes` : 'none'}`);
    const byOffset = new Map<number, number>();
    let expected = 0;
    for await (const r of log.read(0)) {
      assert.equal(Number(r.offset), expected++, 'offsets must be consecutive');
      const parsed = JSON.parse(r.data.toString('utf8')) as { id: number; pad: string };
      assert.equal(parsed.pad.length, 900, `record ${r.offset} is damaged`);
      byOffset.set(Number(r.offset), parsed.id);
    }
    assert.equal(log.nextOffset(), expected);
    for (const a of acked) {
      for (let k = 0; k < a.count; k++) {
        assert.equal(byOffset.get(a.offset + k), a.first + k, `acknowledged record ${a.first + k} at offset ${a.offset + k} is missing or wrong`);
      }
    }
    const ids = [...byOffset.values()];
    assert.equal(new Set(ids).size, ids.length, 'no record may appear twice');
    await log.append([JSON.stringify({ id: -1 - round, pad: 'x'.repeat(900) })]); // appendable after the crash
    await log.close();
  }
});
