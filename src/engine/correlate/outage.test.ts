// Carrier outages: who belongs to one (shops that did not come on as usual during it) and when a
// small group is enough.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, PosEvent, RegistryTerminal } from '../../domain/index.ts';
import { byTime, heartbeats, MIN, openHours, registry, T0, terminal } from './fleet.builder.ts';
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

// Small groups at closing time. Minimum group evidence for an outage: 3 shops losing the network
// within 15 minutes, which must also be unlikely by coincidence: P(>= k of the n group terminals
// on then | each goes quiet at the rest of the fleet's rate in that window) <= 1e-5. In the
// afternoon (fleet rate ~0.3%) 3 of 3 suffice; at closing time (~4%) it takes 4 of 4 or 5 of 6.

/** Nine carrier+region groups of six cellular terminals on 09:00-23:00 (01:00-15:00 UTC) from T0;
 * `over` gives other hours (ms after midnight UTC) to some of them. */
function shopsFleet(to: number, over: (t: RegistryTerminal, i: number) => [open: number, close: number] | undefined = () => undefined, cuccWuhanSize = 6) {
  const terminals: RegistryTerminal[] = [];
  const events: PosEvent[] = [];
  for (const region of ['Guangzhou', 'Wuhan', 'Chengdu']) {
    for (const carrier of ['CUCC', 'CMCC', 'CTCC']) {
      for (let i = 0; i < (region === 'Wuhan' && carrier === 'CUCC' ? cuccWuhanSize : 6); i++) {
        const t = terminal(`T-${region}-${carrier}-${i}`, { region, carrier });
        const [open, close] = over(t, i) ?? [60 * MIN, 15 * HOUR];
        terminals.push(t);
        events.push(...openHours(t.terminal, T0 + i * 7_000, to, open + i * 7_000, close, { carrier }));
      }
    }
  }
  return { terminals, events };
}

const cuccWuhan = (t: RegistryTerminal) => t.carrier === 'CUCC' && t.region === 'Wuhan';
/** 20:31, 20:36, 20:41 China time. */
const closing = (i: number): [number, number] => [60 * MIN, 12 * HOUR + 31 * MIN + i * 5 * MIN];

test('three shops of a small group closing at their usual hour within 15 minutes are no outage (known from the day before)', () => {
  const at = T0 + 24 * HOUR + 12 * HOUR + 58 * MIN; // day 2, 20:58 China time
  const { terminals, events } = shopsFleet(at, (t, i) => (cuccWuhan(t) && i < 3 ? closing(i) : undefined));
  assert.deepEqual(incidentsAt(terminals, events, at), []);
});

test('three shops of a small group closing within 15 minutes while shops all over the fleet close are no outage (first day, no history)', () => {
  const at = T0 + 12 * HOUR + 58 * MIN;
  // the group's own region and carrier stay on (so the old region/carrier comparison saw nothing)
  const elsewhere = (t: RegistryTerminal) => t.region !== 'Wuhan' && t.carrier !== 'CUCC';
  const { terminals, events } = shopsFleet(at, (t, i) => ((cuccWuhan(t) && i < 3) || (elsewhere(t) && i < 2) ? closing(i) : undefined));
  assert.deepEqual(incidentsAt(terminals, events, at), []);
});

test('a real outage of a three-terminal group in its active hours is still an outage, with the chance of a coincidence in the evidence', () => {
  const at = T0 + 24 * HOUR + 6 * HOUR; // day 2, 14:00 China time
  const { terminals, events } = shopsFleet(at, () => undefined, 3);
  const group = terminals.filter(cuccWuhan).map((t) => t.terminal);
  const kept = events.filter((e) => !(group.includes(e.terminal) && e.tsMs >= at - 40 * MIN));
  const incidents = incidentsAt(terminals, kept, at);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope, i.terminals]), [['net.carrier_outage', { carrier: 'CUCC', region: 'Wuhan' }, group]]);
  assert.match(incidents[0]!.evidence!.join(' '), /chance of a coincidence \d/);
});

test('a small group silent only since its usual closing time does not keep an incident open through the night', () => {
  // day 2: the group went quiet together at 20:31-20:41 in an outage; at 23:30 the shops are shut anyway
  const at = T0 + 24 * HOUR + 15 * HOUR + 30 * MIN;
  const { terminals, events } = shopsFleet(at, (t, i) => (cuccWuhan(t) ? closing(i % 3) : undefined));
  assert.deepEqual(incidentsAt(terminals, events, at), []);
});

test('five or more terminals of one carrier and region missing their heartbeat together are an outage within two heartbeat intervals; four wait for the settled rule', () => {
  const OUT = NOW - 10 * MIN; // two 5-minute intervals ago
  const down = (t: RegistryTerminal) => t.carrier === 'CUCC' && t.region === 'Guangzhou';
  const until = (t: RegistryTerminal) => (down(t) ? OUT : NOW + 10 * MIN);
  const big = fleet(6, until);
  const early = incidentsAt(big.terminals, big.events);
  assert.deepEqual(early.map((i) => [i.cause, i.scope, i.terminals.length]), [['net.carrier_outage', { carrier: 'CUCC', region: 'Guangzhou' }, 6]]);
  assert.match(early[0]!.evidence!.join(' '), /within 6 minutes of each other/);
  const small = fleet(4, until);
  assert.deepEqual(incidentsAt(small.terminals, small.events), []);
  assert.deepEqual(incidentsAt(small.terminals, small.events, NOW + 10 * MIN).map((i) => i.terminals.length), [4]);
});
