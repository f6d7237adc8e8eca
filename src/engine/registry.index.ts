// The registry's terminals by name, built once per registry object and shared by the engine and
// its correlator. A Map entry per terminal costs 30-50 bytes; this index is an open-addressing
// table of positions in registry.terminals (4 bytes a slot, at most half full: 8-13 bytes a
// terminal), read like a Map (get, has, keys, ...). The registry's list is not changed once indexed
// (setRegistry gives a new registry, or asks for a rebuild).

import type { Registry, RegistryTerminal } from '../domain/index.ts';
import { nameHash } from './state.table.ts';

export class TerminalIndex implements ReadonlyMap<string, RegistryTerminal> {
  /** Position in `terminals` + 1 per slot (0: empty); a name given twice keeps the last (as a Map). */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Set for a terminal whose name came earlier in the list (keys() follows first appearance, as a Map). */
  private repeated: Uint8Array | undefined = undefined;
  readonly size: number;

  constructor(private readonly terminals: readonly RegistryTerminal[]) {
    let cap = 16;
    while (cap < terminals.length * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    let size = 0;
    for (let i = 0; i < terminals.length; i++) {
      const name = terminals[i]!.terminal;
      const at = this.find(name);
      if (this.slots[at] === 0) size++;
      else (this.repeated ??= new Uint8Array(terminals.length))[i] = 1;
      this.slots[at] = i + 1;
    }
    this.size = size;
  }

  /** The slot holding `name`, or the empty slot where it would go. */
  private find(name: string): number {
    let at = nameHash(name) & this.mask;
    for (;;) {
      const p = this.slots[at]!;
      if (p === 0 || this.terminals[p - 1]!.terminal === name) return at;
      at = (at + 1) & this.mask;
    }
  }

  get(name: string): RegistryTerminal | undefined {
    const p = this.slots[this.find(name)]!;
    return p === 0 ? undefined : this.terminals[p - 1];
  }

  has(name: string): boolean {
    return this.slots[this.find(name)] !== 0;
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.terminals.length; i++) if (this.repeated?.[i] !== 1) yield this.terminals[i]!.terminal;
  }

  *values(): MapIterator<RegistryTerminal> {
    for (const k of this.keys()) yield this.get(k)!;
  }

  *entries(): MapIterator<[string, RegistryTerminal]> {
    for (const k of this.keys()) yield [k, this.get(k)!];
  }

  [Symbol.iterator](): MapIterator<[string, RegistryTerminal]> {
    return this.entries();
  }

  forEach(fn: (value: RegistryTerminal, key: string, map: ReadonlyMap<string, RegistryTerminal>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

const built = new WeakMap<Registry, TerminalIndex>();

/** `rebuild`: the registry object may have changed since it was first indexed. */
export function terminalsByName(registry: Registry, rebuild = false): TerminalIndex {
  let index = built.get(registry);
  if (!index || rebuild) {
    index = new TerminalIndex(registry.terminals);
    built.set(registry, index);
  }
  return index;
}
