// sw.incompatible_update at night: terminals that crashed after the update until their shop
// switched them off are still broken; terminals that kept running without crashes recovered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PosEvent, RegistryTerminal } from '../../domain/index.ts';
import { byTime, crash, heartbeats, installed, MIN, registry, T0, terminal } from './fleet.builder.ts';
import { createCorrelator } from './index.ts';

const HOUR = 60 * MIN;
const NOW = T0 + 20 * HOUR;

/** Six N910 install 1.7.0 seven hours ago and crash every 20 minutes for two hours; then they go
 * quiet at `off` (switched off) or keep heartbeating without a crash until now. */
function run(switchedOff: boolean) {
  const terminals: RegistryTerminal[] = [...Array(10)].map((_, i) => terminal(`U${i}`, { model: i < 6 ? 'N910' : 'K9' }));
  const events: PosEvent[] = [];
  const at = NOW - 7 * HOUR;
  terminals.forEach((t, i) => {
    const off = i < 6 && switchedOff ? at + 2 * HOUR + 10 * MIN : NOW;
    events.push(...heartbeats(t.terminal, NOW - 12 * HOUR + i * 5_000, off, { type: 'wifi' }));
    if (i >= 6) return;
    events.push(installed(t.terminal, at + i * MIN, '1.7.0', 'CMP-FW-01'));
    for (let k = 1; k <= 6; k++) events.push(crash(t.terminal, at + i * MIN + k * 20 * MIN));
  });
  const c = createCorrelator(registry(terminals));
  for (const e of byTime(events)) c.observe(e);
  return c.incidents(NOW);
}

test('an update whose terminals crashed until the shops switched them off is still an incident hours later', () => {
  const incidents = run(true);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope.model, i.scope.firmware]), [['sw.incompatible_update', 'N910', '1.7.0']]);
  assert.deepEqual(incidents[0]?.terminals, ['U0', 'U1', 'U2', 'U3', 'U4', 'U5']);
});

test('terminals that kept running five hours without a crash after the burst are not in an update incident', () => {
  assert.deepEqual(run(false), []);
});

// The early rule: a fresh version's first crashes, weighed against how often the rest of the fleet crashes.

/** 40 terminals heartbeating for 12 hours (N910: U0-U9, K9: the rest); `crashingElsewhere` K9
 * terminals crash twice in the last 5 hours; `steps` adds the N910 installs and crashes. */
function early(steps: (events: PosEvent[]) => void, crashingElsewhere = 0) {
  const terminals: RegistryTerminal[] = [...Array(40)].map((_, i) => terminal(`U${i}`, { model: i < 10 ? 'N910' : 'K9' }));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => events.push(...heartbeats(t.terminal, NOW - 12 * HOUR + i * 5_000, NOW, { type: 'wifi' })));
  for (let i = 0; i < crashingElsewhere; i++) events.push(crash(`U${10 + i}`, NOW - 5 * HOUR + i * MIN), crash(`U${10 + i}`, NOW - 2 * HOUR + i * MIN));
  steps(events);
  const c = createCorrelator(registry(terminals));
  for (const e of byTime(events)) c.observe(e);
  return c.incidents(NOW).filter((i) => i.cause === 'sw.incompatible_update');
}

/** U0-U2 install 1.7.0 25, 20 and 15 minutes ago; U0 and U1 crash once each since. */
const twoOfThreeCrashOnce = (events: PosEvent[]) => {
  [25, 20, 15].forEach((ago, i) => events.push(installed(`U${i}`, NOW - ago * MIN, '1.7.0', 'CMP-FW-01')));
  events.push(crash('U0', NOW - 15 * MIN), crash('U1', NOW - 8 * MIN));
};

test('two of three fresh installs crashing once each are an incident before any of them crashes again', () => {
  const incidents = early(twoOfThreeCrashOnce);
  assert.deepEqual(incidents.map((i) => [i.scope.model, i.scope.firmware, i.terminals]), [['N910', '1.7.0', ['U0', 'U1', 'U2']]]);
  assert.match(incidents[0]!.evidence![0]!, /2 of the 3 terminals that installed .* have crashed since: chance of a coincidence/);
});

test('in a fleet where crashes are common, two first crashes after an install are no incident yet', () => {
  assert.deepEqual(early(twoOfThreeCrashOnce, 20), []);
});

test('terminals that were crashing before they installed are no evidence against the version', () => {
  assert.deepEqual(early((events) => {
    twoOfThreeCrashOnce(events);
    events.push(crash('U0', NOW - 3 * HOUR), crash('U1', NOW - 2 * HOUR));
  }), []);
});

test('a campaign that installs fine stays quiet when two of its many installs crash once', () => {
  assert.deepEqual(early((events) => {
    for (let i = 0; i < 10; i++) events.push(installed(`U${i}`, NOW - (110 - i * 10) * MIN, '1.7.0', 'CMP-FW-01'));
    events.push(crash('U0', NOW - 60 * MIN), crash('U5', NOW - 20 * MIN));
  }), []);
});

test('two first crashes among six fresh installs are not yet concentrated on the version', () => {
  assert.deepEqual(early((events) => {
    for (let i = 0; i < 6; i++) events.push(installed(`U${i}`, NOW - (12 - i) * MIN, '1.7.0', 'CMP-FW-01'));
    events.push(crash('U0', NOW - 4 * MIN), crash('U1', NOW - 3 * MIN));
  }), []);
});

test('two terminals crashing on long after a fresh install stay an incident, also after a snapshot: their first crash is kept', () => {
  const terminals: RegistryTerminal[] = [...Array(40)].map((_, i) => terminal(`U${i}`, { model: i < 10 ? 'N910' : 'K9' }));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => events.push(...heartbeats(t.terminal, NOW - 12 * HOUR + i * 5_000, NOW, { type: 'wifi' })));
  // more crashes than a terminal keeps (16): the first ones, 5 minutes after the install, are gone from the list
  for (const u of ['U0', 'U1']) {
    events.push(installed(u, NOW - 150 * MIN, '1.7.0', 'CMP-FW-01'));
    for (let m = 145; m > 0; m -= 5) events.push(crash(u, NOW - m * MIN));
  }
  const c = createCorrelator(registry(terminals));
  const sorted = byTime(events);
  const cut = sorted.findIndex((e) => e.tsMs >= NOW - 20 * MIN); // restarted after 26 crashes each
  for (const e of sorted.slice(0, cut)) c.observe(e);
  const restored = createCorrelator(registry(terminals), JSON.parse(JSON.stringify(c.snapshot())));
  for (const e of sorted.slice(cut)) {
    c.observe(e);
    restored.observe(e);
  }
  for (const x of [c, restored]) assert.deepEqual(x.incidents(NOW).map((i) => [i.cause, i.terminals]), [['sw.incompatible_update', ['U0', 'U1']]]);
});

test('one clean terminal crashing right after its install is not a fleet incident, however quiet the fleet', () => {
  const terminals: RegistryTerminal[] = [...Array(400)].map((_, i) => terminal(`Q${i}`, { model: i < 10 ? 'N910' : 'K9' }));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => events.push(...heartbeats(t.terminal, NOW - 6 * HOUR + i * 1_000, NOW, { type: 'wifi' }, 30 * MIN)));
  events.push(installed('Q0', NOW - 20 * MIN, '1.7.0', 'CMP-FW-01'), crash('Q0', NOW - 20 * MIN + 30_000), crash('Q0', NOW - 10 * MIN));
  // Q1 crashes after the same install too, but crashed before it as well: no evidence either way
  events.push(crash('Q1', NOW - 3 * HOUR), installed('Q1', NOW - 20 * MIN, '1.7.0', 'CMP-FW-01'), crash('Q1', NOW - 5 * MIN));
  const c = createCorrelator(registry(terminals));
  for (const e of byTime(events)) c.observe(e);
  assert.deepEqual(c.incidents(NOW).filter((i) => i.cause === 'sw.incompatible_update'), []);
});
