// `npm start` (= posops serve --demo) as a user runs it: a fresh data folder, then a second start on
// the same folder. Within a bounded time the API shows terminals in trouble and a fleet incident.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { spawnPosops } from '../support/posops.ts';

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
let data = '';
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (data) await rm(data, { recursive: true, force: true });
});

function startDemo(dir: string): Demo {
  const demo = spawnPosops(['serve', '--demo', '--data', dir, '--port', '0', '--mqtt-port', '0', '--log-level', 'warn']);
  children.push(demo.child);
  return demo;
}

interface Report {
  terminals: { terminal: string; status: string }[];
  incidents: { cause: string; terminals: string[] }[];
}

/** Waits for the printed address and API token, then for a diagnosis with trouble and an incident. */
async function showsTrouble(demo: Demo, timeoutMs: number): Promise<Report> {
  await eventually(() => assert.match(demo.output(), /API token for this run \(demo\): \S+/), 90_000, 200);
  const url = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(demo.output())![1]!;
  const token = /API token for this run \(demo\): (\S+)/.exec(demo.output())![1]!;
  assert.match(demo.output(), /MQTT\s+mqtt:\/\/127\.0\.0\.1:\d+/);
  assert.match(demo.output(), /curl -H 'Authorization: Bearer /);
  assert.match(demo.output(), /mosquitto_pub -h 127\.0\.0\.1 -p \d+ -u T1000001/);
  let report: Report | undefined;
  await eventually(async () => {
    const res = await fetch(`${url}/api/v1/diagnosis`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    report = (await res.json()) as Report;
    assert.equal(report.terminals.length, 300);
    assert.ok(report.terminals.some((t) => t.status !== 'ok'), 'some terminal is in trouble');
    assert.ok(report.incidents.length >= 1, 'a fleet incident is open');
  }, timeoutMs, 1000);
  return report!;
}

test('npm start (serve --demo) shows faults and an incident within a minute, on a fresh data folder and again on the same one', { timeout: 240_000 }, async () => {
  data = await mkdtemp(join(tmpdir(), 'posops-demo-'));
  const first = startDemo(data);
  const report = await showsTrouble(first, 60_000);
  const troubled = report.terminals.filter((t) => t.status !== 'ok').length;
  assert.ok(troubled >= 10, `a realistic mix: ${troubled} terminals in trouble`);
  assert.match(first.output(), /first admin login: admin \/ \S+/);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0, first.output());

  const second = startDemo(data);
  await showsTrouble(second, 60_000);
  assert.doesNotMatch(second.output(), /first admin login/, 'the admin is created once');
  assert.match(second.output(), /demo: 300 simulated terminals/);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0, second.output());
});
