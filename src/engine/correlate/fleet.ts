// The registry seen from the correlator: each terminal's dimensions and the terminals of each host.

import type { Registry, RegistryTerminal } from '../../domain/index.ts';
import { terminalsByName } from '../registry.index.ts';

export class FleetIndex {
  private terminals: ReadonlyMap<string, RegistryTerminal> = new Map();
  private byHost = new Map<string, string[]>();
  maintenance: Registry['maintenance'] = [];

  constructor(registry: Registry) {
    this.load(registry);
  }

  load(registry: Registry): void {
    this.terminals = terminalsByName(registry);
    this.byHost = new Map();
    for (const t of registry.terminals) {
      if (!t.host) continue;
      const list = this.byHost.get(t.host) ?? [];
      list.push(t.terminal);
      this.byHost.set(t.host, list);
    }
    this.maintenance = registry.maintenance;
  }

  get size(): number {
    return this.terminals.size;
  }

  get(terminal: string): RegistryTerminal | undefined {
    return this.terminals.get(terminal);
  }

  hostOf(terminal: string): string | undefined {
    return this.terminals.get(terminal)?.host;
  }

  hosts(): string[] {
    return [...this.byHost.keys()];
  }

  terminalsOfHost(host: string): readonly string[] {
    return this.byHost.get(host) ?? [];
  }
}
