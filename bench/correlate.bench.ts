// Fleet correlation cost: incidents(now) over a 1,000,000-terminal fleet with 1% in trouble against
// a 100,000-terminal fleet with the same number of troubled terminals. The correlator indexes
// silent and failing terminals as events arrive, so the two should be within 2x.

import { createCorrelator } from '../src/engine/correlate/index.ts';
import { heartbeat, MIN, registry, T0, terminal, txn } from '../src/engine/correlate/fleet.builder.ts';
import type { RegistryTerminal } from '../src/domain/index.ts';

export const NOW = T0 + 12 * 60 * MIN;
const TROUBLED = 10_000;
const REGIONS = ['Hangzhou', 'Wuhan', 'Chengdu', 'Shanghai', 'Beijing', 'Guangzhou', 'Haikou', 'Xian'];
const CARRIERS = ['CMCC', 'CUCC', 'CTCC'];

function fleet(size: number): RegistryTerminal[] {
  const out: RegistryTerminal[] = [];
  for (let i = 0; i < size; i++) {
    const outageGroup = i < 6_000; // 6,000 terminals on CUCC in Lhasa, in both fleets
    out.push(terminal(`T${i}`, { region: outageGroup ? 'Lhasa' : REGIONS[i % REGIONS.length], carrier: outageGroup ? 'CUCC' : CARRIERS[i % 3], host: i % 10 === 0 ? 'bank-dx1' : 'cup-main' }));
  }
  return out;
}

/** Healthy terminals report recently; the troubled ones (5,000 of CUCC in Lhasa, 5,000 spread) fell silent an hour ago. */
export function build(size: number) {
  const terminals = fleet(size);
  const c = createCorrelator(registry(terminals));
  const troubled = new Set<number>();
  for (let i = 0; i < TROUBLED / 2; i++) troubled.add(i);
  for (let i = 6_000; troubled.size < TROUBLED; i += Math.floor((size - 6_000) / TROUBLED)) troubled.add(i);
  const started = performance.now();
  let events = 0;
  terminals.forEach((t, i) => {
    // the outage group fell silent within 10 minutes; the spread ones drifted off over six hours
    const last = !troubled.has(i) ? NOW - 2 * MIN : i < 6_000 ? NOW - 60 * MIN + (i % 600) * 1000 : NOW - 30 * MIN - (i % 360) * MIN;
    for (let k = 3; k >= 0; k--) c.observe(heartbeat(t.terminal, last - k * 5 * MIN - (i % 60) * 1000, { carrier: t.carrier }));
    // transactions on 9,000 BINs; 100 scattered 91s whatever the fleet size
    const step = Math.floor(size / 100);
    const rc = i % step === 7 ? '91' : '00';
    const bin = rc === '91' ? `62${1000 + ((Math.floor(i / step) * 89) % 9000)}` : `62${(i % 9000) + 1000}`;
    if (i % 5 === 0 || rc === '91') c.observe(txn(t.terminal, last - 90_000, { rc, bin }));
    events += i % 5 === 0 ? 5 : 4;
  });
  return { c, observeMs: performance.now() - started, events };
}

export function timeIncidents(c: ReturnType<typeof createCorrelator>): { ms: number; found: number } {
  const runs: number[] = [];
  let found = c.incidents(NOW).length; // warm-up
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    found = c.incidents(NOW).length;
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[2] ?? 0, found };
}

export async function run() {
  const small = build(100_000);
  const smallT = timeIncidents(small.c);
  small.c = undefined as never;
  const large = build(1_000_000);
  const largeT = timeIncidents(large.c);
  const ratio = largeT.ms / smallT.ms;
  return [
    { name: 'incidents() 100k fleet, 10k troubled', value: smallT.ms, unit: 'ms', note: `${smallT.found} incidents` },
    { name: 'incidents() 1M fleet, 10k troubled', value: largeT.ms, unit: 'ms', floor: smallT.ms, ratio, note: `${largeT.found} incidents; target ratio <= 2` },
    { name: 'correlator observe, 1M fleet', value: large.events / (large.observeMs / 1000), unit: 'events/s', note: `${large.events} events` },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await run());
