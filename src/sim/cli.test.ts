// `posops sim` on the command line: files written, bad flags and bad scenarios refused with a clear message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { register } from '../cli/sim.ts';

/** Runs `posops sim …` in-process (fast) and returns the error message, or undefined on success. */
async function simError(...args: string[]): Promise<string | undefined> {
  const program = new Command('posops').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  register(program);
  try {
    await program.parseAsync(['node', 'posops', 'sim', ...args]);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function posops(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/posops.js', 'sim', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

test('posops sim writes fleet.json, events.ndjson and truth.json', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-simcli-'));
  try {
    const r = posops('--terminals', '25', '--days', '0.2', '--seed', '3', '--out', dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /wrote [\d,]+ events for 25 terminals/);
    assert.deepEqual((await readdir(dir)).sort(), ['events.ndjson', 'fleet.json', 'truth.json']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('posops sim refuses bad flags naming the flag', async () => {
  const cases: [string[], RegExp][] = [
    [['--terminals', '-5', '--out', '/tmp/x'], /--terminals must be a whole number of at least 1, got "-5"/],
    [['--terminals', '2.5', '--out', '/tmp/x'], /--terminals must be a whole number/],
    [['--days', 'abc', '--out', '/tmp/x'], /--days must be a number above 0, got "abc"/],
    [['--seed', 'x', '--out', '/tmp/x'], /--seed must be a whole number/],
    [['--start', 'tomorrow', '--out', '/tmp/x'], /--start must be an RFC 3339 timestamp/],
    [['--terminals', '5'], /--out DIR is required/],
    [['--live'], /--live needs --http URL or --mqtt URL/],
    [['--live', '--http', 'ftp://x'], /--http must use http: or https:/],
    [['--live', '--mqtt', 'mqtt://127.0.0.1:1883', '--speed', '0'], /--speed must be a number above 0/],
  ];
  for (const [args, message] of cases) {
    const error = await simError(...args);
    assert.ok(error, `${args.join(' ')} was accepted`);
    assert.match(error, message);
  }
  const r = posops('--terminals', '-5', '--out', '/tmp/x');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /^posops: sim: --terminals must be a whole number/m);
});

test('posops sim --scenario refuses a bad fault naming the file, the fault and its line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'posops-simcli-'));
  try {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{\n  "terminals": 20,\n  "faults": [\n    {"at": "14:00", "cause": "hw.chip_reader", "terminal": "T1000099"}\n  ]\n}\n');
    const error = await simError('--scenario', file, '--out', join(dir, 'out'));
    assert.match(error ?? '', /bad\.json: faults\[0\] \(line 4\): terminal T1000099 is not in the fleet/);
    await writeFile(file, '{"faults": [{"at": "14:00", "cause": "hw.toaster", "terminal": "T1000001"}]}');
    assert.match((await simError('--scenario', file, '--out', join(dir, 'out'))) ?? '', /bad\.json: faults\[0\] \(line 1\): unknown cause "hw.toaster"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
