import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Incident, PosEvent, RegistryTerminal } from '../../domain/index.ts';
import { byTime, crash, heartbeats, installed, MIN, registry, T0, terminal, txn } from './fleet.builder.ts';
import { createCorrelator, diffIncidents } from './index.ts';

const NOW = T0 + 10 * 60 * MIN;
const START = NOW - 8 * 60 * MIN;

function run(terminals: RegistryTerminal[], events: PosEvent[], maintenance = registry([]).maintenance): Incident[] {
  const c = createCorrelator(registry(terminals, maintenance));
  for (const e of byTime(events)) c.observe(e);
  return c.incidents(NOW);
}

/** Regions × carriers, n cellular terminals each, heartbeats all along unless `until` says otherwise. */
function cellularFleet(n: number, until: (t: RegistryTerminal, i: number) => number = () => NOW) {
  const terminals: RegistryTerminal[] = [];
  const events: PosEvent[] = [];
  for (const region of ['Hangzhou', 'Wuhan', 'Chengdu']) {
    for (const carrier of ['CUCC', 'CMCC', 'CTCC']) {
      for (let i = 0; i < n; i++) {
        const t = terminal(`T-${region}-${carrier}-${i}`, { region, carrier });
        terminals.push(t);
        events.push(...heartbeats(t.terminal, START + i * 7_000, until(t, i), { carrier }));
      }
    }
  }
  return { terminals, events };
}

const cuccHangzhou = (t: RegistryTerminal) => t.carrier === 'CUCC' && t.region === 'Hangzhou';

test('incidents() reports net.carrier_outage for CUCC in Hangzhou, not all of CUCC, and leaves wifi terminals out', () => {
  const { terminals, events } = cellularFleet(6, (t, i) => (cuccHangzhou(t) ? NOW - 60 * MIN + i * 20_000 : NOW));
  for (let i = 0; i < 3; i++) {
    const wifi = terminal(`W-${i}`, { region: 'Hangzhou', carrier: 'CUCC' });
    terminals.push(wifi);
    events.push(...heartbeats(wifi.terminal, START, NOW - 60 * MIN, { type: 'wifi', carrier: 'CUCC' }));
    // W-0 goes silent at the same moment (its shop's router): still not part of a carrier outage.
    if (i > 0) events.push(...heartbeats(wifi.terminal, NOW - 60 * MIN, NOW, { type: 'wifi', carrier: 'CUCC' }));
  }
  const incidents = run(terminals, events);
  assert.equal(incidents.length, 1, JSON.stringify(incidents));
  const [outage] = incidents;
  assert.equal(outage?.cause, 'net.carrier_outage');
  assert.deepEqual(outage?.scope, { carrier: 'CUCC', region: 'Hangzhou' });
  assert.deepEqual(outage?.terminals, terminals.filter((t) => cuccHangzhou(t) && t.terminal.startsWith('T-')).map((t) => t.terminal).sort());
  assert.equal(outage?.id, 'net.carrier_outage:CUCC:Hangzhou');
  assert.ok(Date.parse(outage!.since) <= NOW - 55 * MIN);
  assert.ok(outage?.evidence?.[0]?.includes('6 of 6') && outage.evidence_zh?.length === outage.evidence.length);
});

test('incidents() reports a carrier-wide outage as {carrier} when every region of the carrier is down', () => {
  const { terminals, events } = cellularFleet(5, (t, i) => (t.carrier === 'CTCC' ? NOW - 45 * MIN + i * 10_000 : NOW));
  const incidents = run(terminals, events);
  assert.deepEqual(incidents.map((i) => i.scope), [{ carrier: 'CTCC' }]);
  assert.equal(incidents[0]?.terminals.length, 15);
});

test('incidents() does not report an outage that ended (terminals back)', () => {
  const { terminals, events } = cellularFleet(6, (t) => (cuccHangzhou(t) ? NOW - 90 * MIN : NOW));
  for (const t of terminals.filter(cuccHangzhou)) events.push(...heartbeats(t.terminal, NOW - 20 * MIN, NOW, { carrier: 'CUCC' }));
  assert.deepEqual(run(terminals, events), []);
});

test('incidents() reports nothing on a healthy noisy fleet: night switch-offs, declines, scattered 91s, one slow terminal', () => {
  // Shops switch off one after another over three hours, in every region and carrier.
  const { terminals, events } = cellularFleet(6, (_t, i) => (i < 3 ? NOW - 20 * MIN - i * 65 * MIN : NOW));
  const bins = ['621700', '622202', '622848', '623213', '476173', '622588', '621661', '520169'];
  terminals.forEach((t, k) => {
    for (let m = 0; m < 6; m++) {
      const ts = NOW - 5 * 60 * MIN + k * 3_000 + m * 47 * MIN;
      const rc = m === 2 ? '51' : m === 4 ? '05' : '00';
      events.push(txn(t.terminal, ts, { rc, bin: bins[(k + m) % bins.length] }));
    }
  });
  bins.slice(0, 5).forEach((bin, i) => events.push(txn(terminals[i * 3]!.terminal, NOW - (10 + i * 9) * MIN, { rc: '91', bin })));
  events.push(...heartbeats(terminals[1]!.terminal, NOW - 40 * MIN, NOW, { carrier: 'CUCC', host_rtt_ms: 900 }));
  assert.deepEqual(run(terminals, events), []);
});

test('incidents() reports net.host_slow on the host whose round trips are several times its own baseline', () => {
  const terminals = [...Array(12)].map((_, i) => terminal(`H${i}`, { host: i < 6 ? 'bank-dx1' : 'cup-main' }));
  const events = terminals.flatMap((t, i) => [
    ...heartbeats(t.terminal, START + i * 5_000, NOW - 40 * MIN, { host_rtt_ms: 60 }),
    ...heartbeats(t.terminal, NOW - 40 * MIN + i * 5_000, NOW, { host_rtt_ms: i < 6 ? 420 : 65 }),
  ]);
  const incidents = run(terminals, events);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope]), [['net.host_slow', { host: 'bank-dx1' }]]);
  assert.deepEqual(incidents[0]?.terminals, ['H0', 'H1', 'H2', 'H3', 'H4', 'H5']);
});

test('incidents() reports a sharp slowdown of a host within two heartbeat intervals; a few slow samples are not one', () => {
  const terminals = [...Array(24)].map((_, i) => terminal(`H${i}`, { host: i < 12 ? 'bank-dx1' : 'cup-main' }));
  const sharp = terminals.flatMap((t, i) => [
    ...heartbeats(t.terminal, START + i * 5_000, NOW - 10 * MIN, { host_rtt_ms: 60 }),
    ...heartbeats(t.terminal, NOW - 10 * MIN + i * 5_000, NOW, { host_rtt_ms: i < 12 ? 300 : 62 }),
  ]);
  // the 30-minute mean is 2.3x the baseline (not yet 3x); the last 10 minutes are 5x over 24 round trips
  const incidents = run(terminals, sharp);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope, i.terminals.length]), [['net.host_slow', { host: 'bank-dx1' }, 12]]);
  assert.match(incidents[0]!.evidence![0]!, /slower over the last 10 minutes/);
  const blip = terminals.flatMap((t, i) => [
    ...heartbeats(t.terminal, START + i * 5_000, NOW - 5 * MIN, { host_rtt_ms: 60 }),
    ...heartbeats(t.terminal, NOW - 5 * MIN + i * 5_000, NOW, { host_rtt_ms: i < 12 ? 300 : 62 }),
  ]);
  assert.deepEqual(run(terminals, blip), []);
});

test('incidents() reports an announced provider.maintenance with the host terminals active in the window', () => {
  const terminals = [...Array(8)].map((_, i) => terminal(`M${i}`, { host: i < 4 ? 'bank-dx2' : 'cup-main' }));
  const events = terminals.flatMap((t, i) => heartbeats(t.terminal, START, i === 3 ? NOW - 2 * 60 * MIN : NOW));
  const window = { start: new Date(NOW - 30 * MIN).toISOString(), end: new Date(NOW + 60 * MIN).toISOString(), host: 'bank-dx2', note: 'switch upgrade' };
  const incidents = run(terminals, events, [window]);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope, i.terminals]), [['provider.maintenance', { host: 'bank-dx2' }, ['M0', 'M1', 'M2']]]);
  const past = { ...window, start: new Date(NOW - 5 * 60 * MIN).toISOString(), end: new Date(NOW - 4 * 60 * MIN).toISOString() };
  assert.deepEqual(run(terminals, events, [past]), []);
});

test('incidents() reports provider.issuer_down on the BIN prefix whose cards get 91 while other cards work', () => {
  const terminals = [...Array(20)].map((_, i) => terminal(`I${i}`));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => {
    for (let m = 0; m < 16; m++) {
      const ts = NOW - 6 * 60 * MIN + i * 4_000 + m * 23 * MIN;
      const issuer = m % 2 === 0 ? `62266${(m / 2) % 2}` : '621700';
      const down = issuer.startsWith('62266') && ts > NOW - 40 * MIN;
      events.push(txn(t.terminal, ts, { bin: issuer + '12', rc: down ? '91' : '00' }));
    }
  });
  const incidents = run(terminals, events);
  assert.equal(incidents.length, 1, JSON.stringify(incidents));
  assert.equal(incidents[0]?.cause, 'provider.issuer_down');
  assert.equal(incidents[0]?.scope.bin, '62266');
  const hit = new Set(events.filter((e) => e.type === 'txn' && e.rc === '91').map((e) => e.terminal));
  assert.deepEqual(incidents[0]?.terminals, [...hit].sort());
});

test('incidents() reports sw.incompatible_update on the model that crashes after one version; the same campaign elsewhere is fine', () => {
  const terminals = [...Array(12)].map((_, i) => terminal(`U${i}`, { model: i < 6 ? 'N910' : 'K9' }));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => {
    events.push(...heartbeats(t.terminal, START, NOW));
    const at = NOW - 4 * 60 * MIN + i * 60_000;
    events.push(installed(t.terminal, at, i < 6 ? '1.7.0' : '7.11.0', 'CMP-FW-01'));
    if (i < 5) for (let k = 1; k < 12; k++) events.push(crash(t.terminal, at + k * 20 * MIN));
  });
  events.push(crash('U7', NOW - 30 * MIN));
  const incidents = run(terminals, events);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope]), [['sw.incompatible_update', { model: 'N910', firmware: '1.7.0', campaign: 'CMP-FW-01', from: '1.0.0' }]]);
  assert.deepEqual(incidents[0]?.terminals, ['U0', 'U1', 'U2', 'U3', 'U4']);
});

test('diffIncidents() reports opened, joined, left and resolved', () => {
  const a: Incident = { id: 'x', cause: 'net.host_slow', scope: { host: 'h' }, terminals: ['T1', 'T2'], since: '2026-11-20T00:00:00Z' };
  const b: Incident = { ...a, terminals: ['T2', 'T3'] };
  const c: Incident = { id: 'y', cause: 'provider.maintenance', scope: { host: 'h' }, terminals: ['T9'], since: a.since };
  const changes = diffIncidents([a], [b, c]).map((ch) => [ch.kind, ch.incident, ch.terminals]);
  assert.deepEqual(changes, [['opened', 'y', ['T9']], ['joined', 'x', ['T3']], ['left', 'x', ['T1']]]);
  assert.deepEqual(diffIncidents([b, c], [c]).map((ch) => [ch.kind, ch.incident]), [['resolved', 'x']]);
  assert.deepEqual(diffIncidents([c], [c]), []);
});

/** Feeds `events` up to `at` (in time order) and asks incidents(at). */
function incidentsAt(terminals: RegistryTerminal[], events: PosEvent[], at: number, maintenance = registry([]).maintenance): Incident[] {
  const c = createCorrelator(registry(terminals, maintenance));
  for (const e of byTime(events)) if (e.tsMs <= at) c.observe(e);
  return c.incidents(at);
}

test('incidents() reports a carrier outage of 20 terminals within two heartbeat intervals, before any is silent for 15 minutes', () => {
  const OUT = NOW - 60 * MIN;
  const { terminals, events } = cellularFleet(20, (t) => (cuccHangzhou(t) ? OUT : NOW));
  assert.deepEqual(incidentsAt(terminals, events, OUT + 3 * MIN), []);
  const early = incidentsAt(terminals, events, OUT + 10 * MIN);
  assert.deepEqual(early.map((i) => [i.cause, i.scope]), [['net.carrier_outage', { carrier: 'CUCC', region: 'Hangzhou' }]]);
  assert.equal(early[0]?.terminals.length, 20);
  assert.ok(early[0]?.evidence?.[1]?.includes('within 6 minutes'));
});

test('incidents() does not report shops of a whole region switching off at the same minute as a carrier outage', () => {
  const OFF = NOW - 60 * MIN;
  const { terminals, events } = cellularFleet(20, (t) => (t.region === 'Hangzhou' ? OFF : NOW));
  for (const minutes of [4, 8, 10, 14, 20, 30]) assert.deepEqual(incidentsAt(terminals, events, OFF + minutes * MIN), [], `${minutes} min after`);
});

test('incidents() keeps every terminal that got a 91 in the issuer outage although a few good answers came in between, and leaves 91s of a maintenance window out', () => {
  const terminals = [...Array(20)].map((_, i) => terminal(`I${i}`, { host: i < 4 ? 'bank-dx2' : 'cup-main' }));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => {
    events.push(txn(t.terminal, NOW - 3 * 60 * MIN + i * 60_000, { bin: '62266012', rc: '00' }));
    events.push(txn(t.terminal, NOW - 40 * MIN + i * 90_000, { bin: '62266012', rc: i === 9 || i === 15 ? '00' : '91' }));
    events.push(txn(t.terminal, NOW - 30 * MIN + i * 60_000, { bin: '62170012', rc: '00' }));
  });
  // bank-dx2 was in maintenance two hours ago: its terminals got 91 on every card then
  const window = { start: new Date(NOW - 2.5 * 60 * MIN).toISOString(), end: new Date(NOW - 1.5 * 60 * MIN).toISOString(), host: 'bank-dx2' };
  for (let i = 0; i < 4; i++) for (const bin of ['62122012', '62122013']) events.push(txn(`I${i}`, NOW - 2 * 60 * MIN + i * 60_000, { bin, rc: '91' }));
  const incidents = incidentsAt(terminals, events, NOW, [window]);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope.bin]), [['provider.issuer_down', '62266']]);
  assert.deepEqual(incidents[0]?.terminals, terminals.map((t) => t.terminal).filter((t) => t !== 'I9' && t !== 'I15').sort());
});

test('incidents() keeps a working BIN under the same prefix out of the issuer outage, though it had a stray 91', () => {
  const terminals = [...Array(20)].map((_, i) => terminal(`J${i}`));
  const events: PosEvent[] = [];
  terminals.forEach((t, i) => {
    events.push(txn(t.terminal, NOW - 3 * 60 * MIN + i * 60_000, { bin: '62266012', rc: '00' }));
    events.push(txn(t.terminal, NOW - 40 * MIN + i * 90_000, { bin: '62266012', rc: '91' }));
    for (let k = 0; k < 3; k++) events.push(txn(t.terminal, NOW - 50 * MIN + i * 60_000 + k * 7 * MIN, { bin: '62266812', rc: i === 3 && k === 0 ? '91' : '00' }));
  });
  const incidents = incidentsAt(terminals, events, NOW);
  assert.deepEqual(incidents.map((i) => [i.cause, i.scope.bin]), [['provider.issuer_down', '622660']]);
  assert.equal(incidents[0]?.terminals.length, 20);
});
