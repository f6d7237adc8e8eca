// Carrier outages: who belongs to one (shops that did not come on as usual during it) and when a
// small group is enough.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, PosEvent, RegistryTerminal } from '../../domain/index.ts';
import { byTime, heartbeats, MIN, registry, T0, terminal } from './fleet.builder.ts';
import { createCorrelator } from './index.ts';

const HOUR = 60 * MIN;
const NOW = T0 + 40 * HOUR;

function incidentsAt(terminals: RegistryTerminal[], events: PosEvent[], at = NOW): Incident[] {
  const c = createCorrelator(registry(terminals));
  for (const e of byTime(events)) if (e.tsMs <= at) c.observe(e);
  return c.incidents(at);
}

/** Three regions × three carriers, `n` cellular terminals each, on all along (from 30 hours back) unless `until` says otherwise. */
function fleet(n: number, until: (t: RegistryTerminal, i: number) => number = () => NOW) {
  const terminals: RegistryTerminal[] = [];
  const events: PosEvent[] = [];
  for (const region of ['Guangzhou', 'Wuhan', 'Chengdu']) {
    for (const carrier of ['CUCC', 'CMCC', 'CTCC']) {
      for (let i = 0; i < n; i++) {
        const t = terminal(`T-${region}-${carrier}-${i}`, { region, carrier });
        terminals.push(t);
        events.push(...heartbeats(t.terminal, NOW - 30 * HOUR + i * 7_000, until(t, i), { carrier }));
      }
    }
  }
  return { terminals, events };
}

/** A shop terminal on yesterday from `on` to `off` (relative to NOW - 24 h) and not seen today. */
function shop(id: string, carrier: string, region: string, on: number, off: number) {
  const t = terminal(id, { region, carrier });
  return { t, events: heartbeats(id, NOW - 24 * HOUR + on, NOW - 24 * HOUR + off, { carrier }) };
}

test('a carrier outage takes in the shops of its carrier and region that did not come on at their usual time since it began', () => {
  const OUT = NOW - 60 * MIN;
  const { terminals, events } = fleet(5, (t) => (t.carrier === 'CUCC' && t.region === 'Guangzhou' ? OUT : NOW));
  const shops = [
    shop('S-late', 'CUCC', 'Guangzhou', -40 * MIN, 12 * HOUR), // usually on 40 minutes ago: kept away by the outage
    shop('S-closed', 'CUCC', 'Guangzhou', -3 * HOUR, 12 * HOUR), // usually on 3 hours ago, long before the outage: closed today
    shop('S-later', 'CUCC', 'Guangzhou', 60 * MIN, 12 * HOUR), // usually on in an hour
    shop('S-other', 'CMCC', 'Guangzhou', -40 * MIN, 12 * HOUR), // late too, but on another carrier
  ];
  for (const s of shops) {
    terminals.push(s.t);
    events.push(...s.events);
  }
  const incidents = incidentsAt(terminals, events);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope]), [['net.carrier_outage', { carrier: 'CUCC', region: 'Guangzhou' }]]);
  const members = incidents[0]!.terminals;
  assert.ok(members.includes('S-late'), JSON.stringify(members));
  for (const id of ['S-closed', 'S-later', 'S-other']) assert.ok(!members.includes(id), `${id} joined`);
  assert.equal(members.length, 6);
});

test('a shop late to come on is no outage by itself: without the group going down there is no incident', () => {
  const { terminals, events } = fleet(5);
  for (const s of [shop('S-1', 'CUCC', 'Guangzhou', -40 * MIN, 12 * HOUR), shop('S-2', 'CUCC', 'Guangzhou', -45 * MIN, 12 * HOUR), shop('S-3', 'CUCC', 'Guangzhou', -50 * MIN, 12 * HOUR)]) {
    terminals.push(s.t);
    events.push(...s.events);
  }
  assert.deepEqual(incidentsAt(terminals, events), []);
});

test('one shop switching its four cellular terminals off together is its closing time, not a carrier outage', () => {
  const { terminals, events } = fleet(5);
  const OFF = NOW - 60 * MIN;
  for (let i = 0; i < 4; i++) {
    const t = terminal(`Shop-${i}`, { region: 'Guangzhou', carrier: 'CTCC', merchant: 'M-big' });
    terminals.push(t);
    events.push(...heartbeats(t.terminal, NOW - 8 * HOUR + i * 7_000, OFF + i * 40_000, { carrier: 'CTCC' }));
  }
  assert.deepEqual(incidentsAt(terminals, events), []);
  // four shops of the same carrier and region going quiet together are
  terminals.forEach((t, i) => { if (t.terminal.startsWith('Shop-')) terminals[i] = { ...t, merchant: t.terminal }; });
  assert.deepEqual(incidentsAt(terminals, events).map((i) => [i.cause, i.scope]), [['net.carrier_outage', { carrier: 'CTCC', region: 'Guangzhou' }]]);
});
