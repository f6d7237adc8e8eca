// The demo's script: the random mix of faults plus a scripted set, timed around the moment live
// sending begins (`+24h` after the plan's start), so that the dashboard shows a mix of terminal
// faults and fleet incidents in the first minute and new trouble keeps arriving afterwards.

import type { Registry } from '../domain/index.ts';
import type { Scenario, ScenarioFault } from '../sim/index.ts';

/** [hours after the plan's start, cause, duration] of per-terminal faults (live sending begins at 24 h). */
const TERMINAL_FAULTS: [number, string, string?][] = [
  [14, 'hw.printer_paper'], [15, 'hw.chip_reader'], [16, 'net.weak_signal'], [17, 'sw.storage_full'],
  [18, 'hw.battery'], [18.5, 'net.config'], [19, 'sw.crash_loop'], [19.5, 'op.input_error'],
  [20, 'env.overheat', '10h'], [20.5, 'sw.clock_skew'], [21, 'hw.contactless_reader'], [21.5, 'sw.key_error'],
  [22, 'acct.limit_exceeded'], [22.5, 'net.offline'], [23, 'hw.printer'], [23.5, 'hw.magstripe_reader'],
  [25, 'hw.keypad'], [26, 'hw.screen'], [27, 'sw.app_conflict'], [28, 'hw.power'], [30, 'sw.update_failed'],
];

function mostCommon(values: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

function incidents(registry: Registry): ScenarioFault[] {
  const terminals = registry.terminals;
  const hosts = mostCommon(terminals.map((t) => t.host ?? '').filter(Boolean));
  const [carrier, region] = (mostCommon(terminals.map((t) => `${t.carrier}|${t.region}`))[0] ?? 'CMCC|Hangzhou').split('|') as [string, string];
  const models = mostCommon(terminals.map((t) => t.model ?? '').filter(Boolean));
  const out: ScenarioFault[] = [
    { at: '+23h', cause: 'provider.issuer_down', scope: { bin: '62266' }, duration: '3h' },
    { at: '+1460m', cause: 'net.carrier_outage', scope: { carrier, region }, duration: '70m' },
    { at: '+31h', cause: 'sw.incompatible_update', scope: { model: models[1] ?? models[0] ?? 'A920' } },
  ];
  // the smaller hosts, so that a slow host is a part of the fleet, not a third of it
  const small = hosts.slice(1).reverse();
  if (small[0]) out.push({ at: '+22h', cause: 'net.host_slow', scope: { host: small[0] }, duration: '4h' });
  if (small[1]) out.push({ at: '+27h', cause: 'provider.maintenance', scope: { host: small[1] }, duration: '2h', announced: false });
  return out;
}

/** The demo's scenario for a fleet with this registry (terminal faults on every 13th terminal). */
export function demoScenario(registry: Registry): Scenario {
  const ids = registry.terminals.map((t) => t.terminal);
  const faults: ScenarioFault[] = TERMINAL_FAULTS.flatMap(([hours, cause, duration], i) => {
    const terminal = ids[(7 + i * 13) % ids.length];
    if (!terminal) return [];
    const at = `+${Math.round(hours * 60)}m`;
    return [{ at, cause, terminal, ...(duration ? { duration } : {}) }];
  });
  return { random: true, faults: [...faults, ...incidents(registry)] };
}
