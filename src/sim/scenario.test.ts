// Scenario files: scripted faults land in the truth; bad files are refused naming the fault, its line and the problem.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateFleet, parseScenario, writeSimFiles } from './index.ts';

function fleetFrom(text: string) {
  const s = parseScenario(text);
  return generateFleet({ terminals: s.terminals ?? 120, days: s.days ?? 1, seed: s.seed ?? 7, scenario: s });
}

test('a scripted carrier outage and chip reader fault appear in the truth with their scope and start', async () => {
  const text = JSON.stringify({
    start: '2026-11-20T00:00:00Z', days: 0.5, terminals: 300, seed: 7,
    faults: [
      { at: '09:00', cause: 'net.carrier_outage', scope: { carrier: 'CMCC', region: 'Shanghai' }, duration: '4h' },
      { at: '+2h', cause: 'hw.chip_reader', terminal: 'T1000017' },
      { at: '10:30', cause: 'provider.issuer_down', scope: { bin: '62266' } },
    ],
  }, null, 1);
  const fleet = fleetFrom(text);
  const dir = await mkdtemp(join(tmpdir(), 'posops-scn-'));
  try {
    await writeSimFiles(fleet, dir);
    const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8'));
    assert.equal(truth.terminals['T1000017'], 'hw.chip_reader');
    assert.equal(truth.faults['T1000017'].since, '2026-11-20T02:00:00Z');
    const outage = truth.incidents.find((i: { cause: string }) => i.cause === 'net.carrier_outage');
    assert.deepEqual(outage.scope, { carrier: 'CMCC', region: 'Shanghai' });
    assert.equal(outage.since, '2026-11-20T09:00:00Z');
    assert.ok(outage.terminals.length > 0);
    const scripted = Object.values(truth.terminals).filter((c) => c !== 'ok');
    assert.ok(scripted.every((c) => ['net.carrier_outage', 'hw.chip_reader', 'provider.issuer_down'].includes(c as string)), 'no random faults when faults are scripted');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown cause is refused with the fault index and line number', () => {
  const text = '{\n "days": 1,\n "faults": [\n  {"at": "14:00", "cause": "hw.chip_reader", "terminal": "T1000003"},\n  {"at": "15:00", "cause": "hw.toaster", "terminal": "T1000004"}\n ]\n}';
  assert.throws(() => parseScenario(text), /faults\[1\] \(line 5\): unknown cause "hw.toaster"/);
});

test('a bad time, a bad duration, an unknown terminal and a missing scope are refused by name', () => {
  const bad = (fault: object) => JSON.stringify({ terminals: 50, days: 1, faults: [fault] });
  assert.throws(() => fleetFrom(bad({ at: '25:99', cause: 'hw.printer', terminal: 'T1000001' })), /faults\[0\] \(line 1\): "at" is not a time: "25:99"/);
  assert.throws(() => fleetFrom(bad({ at: '14:00', cause: 'hw.printer', terminal: 'T1000001', duration: 'soon' })), /"duration" is not a duration/);
  assert.throws(() => fleetFrom(bad({ at: '14:00', cause: 'hw.printer', terminal: 'T9999999' })), /terminal T9999999 is not in the fleet/);
  assert.throws(() => fleetFrom(bad({ at: '14:00', cause: 'net.carrier_outage', scope: { carrier: 'CMCC' } })), /needs scope.region/);
  assert.throws(() => fleetFrom(bad({ at: '2030-01-01T00:00:00Z', cause: 'hw.printer', terminal: 'T1000001' })), /outside the run/);
  assert.throws(() => fleetFrom(bad({ at: '14:00', cause: 'hw.printer', terminal: 'T1000001', colour: 'red' })), /unknown field "colour"/);
});

test('two faults on one terminal at the same time are refused, naming both', () => {
  const text = JSON.stringify({ terminals: 50, days: 1, faults: [
    { at: '08:00', cause: 'hw.printer', terminal: 'T1000002', duration: '3h' },
    { at: '10:00', cause: 'hw.keypad', terminal: 'T1000002' },
    { at: '12:00', cause: 'hw.screen', terminal: 'T1000003' },
  ] }, null, 2);
  assert.throws(() => fleetFrom(text), /faults\[1\] \(line \d+\): terminal T1000002 already has hw.printer from faults\[0\]/);
  const sequential = JSON.stringify({ terminals: 50, days: 1, faults: [
    { at: '08:00', cause: 'hw.printer', terminal: 'T1000002', duration: '1h' },
    { at: '10:00', cause: 'hw.keypad', terminal: 'T1000002' },
  ] });
  assert.doesNotThrow(() => fleetFrom(sequential));
});

test('a scenario that is not JSON, or has bad top-level values, is refused clearly', () => {
  assert.throws(() => parseScenario('{"days": 1,'), /not valid JSON/);
  assert.throws(() => parseScenario('{"days": -1}'), /"days" must be a number above 0/);
  assert.throws(() => parseScenario('{"terminals": 0}'), /"terminals" must be a whole number/);
  assert.throws(() => parseScenario('{"start": "noon"}'), /"start" must be an RFC 3339 timestamp/);
});

test('"random": true adds the random mix to the scripted faults, leaving scripted terminals alone', async () => {
  const text = JSON.stringify({ terminals: 200, days: 1, seed: 4, random: true, faults: [
    { at: '+1h', cause: 'hw.printer_paper', terminal: 'T1000005', duration: '2h' },
  ] });
  const fleet = fleetFrom(text);
  const own = fleet.faults.filter((f) => f.terminal === 'T1000005');
  assert.deepEqual(own.map((f) => f.cause), ['hw.printer_paper']);
  assert.equal(new Set(fleet.incidents.map((i) => i.cause)).size, 5, 'the five random incidents are there');
  const dir = await mkdtemp(join(tmpdir(), 'posops-scn-'));
  try {
    await writeSimFiles(fleet, dir);
    const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8'));
    assert.equal(truth.terminals['T1000005'], 'ok', 'the paper was replaced before the end');
    assert.ok(truth.transients.some((t: { terminal: string; kinds: string[] }) => t.terminal === 'T1000005' && t.kinds[0] === 'hw.printer_paper'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
