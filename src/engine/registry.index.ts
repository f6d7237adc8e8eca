// The registry's terminals by name, built once per registry object and shared by the engine and
// its correlator (a Map entry per terminal costs 30-50 bytes; a million terminals need it once).

import type { Registry, RegistryTerminal } from '../domain/index.ts';

const built = new WeakMap<Registry, Map<string, RegistryTerminal>>();

/** `rebuild`: the registry object may have changed since it was first indexed. */
export function terminalsByName(registry: Registry, rebuild = false): Map<string, RegistryTerminal> {
  let map = built.get(registry);
  if (!map || rebuild) {
    map = new Map();
    for (const t of registry.terminals) map.set(t.terminal, t);
    built.set(registry, map);
  }
  return map;
}
