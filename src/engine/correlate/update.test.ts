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
