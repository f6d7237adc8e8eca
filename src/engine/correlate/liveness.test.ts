import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FleetIndex } from './fleet.ts';
import { heartbeat, MIN, registry, T0, terminal } from './fleet.builder.ts';
import { LivenessTracker } from './liveness.ts';

/** A small deterministic mix: terminals on 4g or wifi, in two regions and two carriers, seen at scattered times. */
function tracker() {
  const terminals = Array.from({ length: 60 }, (_, i) => terminal(`T${i}`, { region: i % 2 ? 'Wuhan' : 'Hangzhou', carrier: i % 3 ? 'CMCC' : 'CUCC' }));
  const live = new LivenessTracker(new FleetIndex(registry(terminals)));
  let x = 7; // mulberry32: a small PRNG whose low bits are usable
  const next = () => {
    x = (x + 0x6d2b79f5) | 0;
    let z = Math.imul(x ^ (x >>> 15), 1 | x);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return (z ^ (z >>> 14)) >>> 0;
  };
  for (let n = 0; n < 600; n++) {
    const t = terminals[next() % terminals.length]!;
    live.observe(heartbeat(t.terminal, T0 + (next() % (240 * MIN)), { type: next() % 4 === 0 ? 'wifi' : '4g', carrier: t.carrier }));
  }
  assert.ok(live.terminals.size > 50 && (live.counts.get('cr:CMCC|Wuhan') ?? 0) > 5 && (live.counts.get('cell') ?? 0) < live.terminals.size, 'a mixed fleet');
  return live;
}

function bruteAwake(live: LivenessTracker, key: string, from: number, to: number): number {
  let n = 0;
  for (const [terminal, l] of live.terminals) if (live.groupKeys(terminal, l).includes(key) && live.awake(terminal, from, to)) n++;
  return n;
}

test('awakeBetween() counts the awake terminals of a group as a pass over the fleet would, without one', () => {
  const live = tracker();
  const keys = ['all', 'cell', 'r:Wuhan', 'c:CMCC', 'cr:CUCC|Hangzhou', 'cr:CMCC|Wuhan'];
  for (const from of [T0, T0 + 37 * MIN, T0 + 120 * MIN, T0 + 230 * MIN]) {
    for (const key of keys) assert.equal(live.awakeBetween(key, from, T0 + 241 * MIN), bruteAwake(live, key, from, T0 + 241 * MIN), `${key} from +${(from - T0) / MIN} min`);
  }
});

test('membersOf() gives a carrier+region group, or a carrier over its regions, exactly', () => {
  const live = tracker();
  for (const key of ['cr:CMCC|Wuhan', 'cr:CUCC|Hangzhou', 'c:CMCC', 'c:CUCC']) {
    const expected = [...live.terminals].filter(([t, l]) => live.groupKeys(t, l).includes(key)).map(([t]) => t).sort();
    assert.deepEqual([...live.membersOf(key)].sort(), expected, key);
  }
  live.recount();
  assert.ok([...live.membersOf('c:CMCC')].length > 0, 'a recount keeps the index');
});
