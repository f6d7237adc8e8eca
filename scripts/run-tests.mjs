#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's own test runner (tsx loads TypeScript).
// `--unit` leaves out the integration tests (*.int.test.ts and test/e2e). Extra arguments filter by path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir, out) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = [...walk('src', []), ...walk('test', [])].sort();
if (unit) files = files.filter((f) => !f.endsWith('.int.test.ts') && !f.startsWith(join('test', 'e2e')));
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that hangs fails after 5 minutes; a test file that never exits (an open handle) would hang
// the run, so the whole run is stopped after 40 minutes with a message saying so.
const RUN_LIMIT_MS = 40 * 60_000;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', '--test-force-exit', '--test-reporter=spec', ...files],
  {
    stdio: 'inherit',
    timeout: RUN_LIMIT_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, POSOPS_LOG_LEVEL: process.env.POSOPS_LOG_LEVEL ?? 'silent' },
  },
);
if (result.error) {
  console.error(`the test run did not finish within ${RUN_LIMIT_MS / 60_000} minutes (a test file left a handle open?): ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
