// The engine's terminal states by name: the states in a list (first seen first) and an
// open-addressing table of their positions (4 bytes a slot, at most half full), 10-25 bytes a
// terminal where a Map entry costs 30-50. Read and written like a Map (get, set, has, iteration).

import type { TerminalState } from './state.ts';

/** FNV-1a over the UTF-16 code units (the engine's open-addressing tables of terminal names). */
export function nameHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class StateTable implements Iterable<[string, TerminalState]> {
  /** The states, first seen first; each is found under its own name (state.name). */
  private readonly list: TerminalState[] = [];
  private slots = new Int32Array(16);
  private mask = 15;
  /** The last name asked and its position (an event's state is asked for twice in a row). */
  private lastName: string | undefined = undefined;
  private lastAt = -1;

  get size(): number {
    return this.list.length;
  }

  /** The slot holding `name`, or the empty slot where it would go. */
  private find(name: string): number {
    let at = nameHash(name) & this.mask;
    for (;;) {
      const p = this.slots[at]!;
      if (p === 0 || this.list[p - 1]!.name === name) return at;
      at = (at + 1) & this.mask;
    }
  }

  private position(name: string): number {
    if (name === this.lastName) return this.lastAt;
    const at = this.slots[this.find(name)]! - 1;
    if (at >= 0) {
      this.lastName = name;
      this.lastAt = at;
    }
    return at;
  }

  get(name: string): TerminalState | undefined {
    const at = this.position(name);
    return at < 0 ? undefined : this.list[at];
  }

  has(name: string): boolean {
    return this.position(name) >= 0;
  }

  /** `name` must be the state's own name (state.name). */
  set(name: string, state: TerminalState): this {
    if (name !== state.name) throw new Error(`state of ${state.name} set under ${name}`);
    const slot = this.find(name);
    const p = this.slots[slot]!;
    if (p !== 0) {
      this.list[p - 1] = state;
      return this;
    }
    this.list.push(state);
    this.slots[slot] = this.list.length;
    if (this.list.length * 2 > this.slots.length) this.grow();
    return this;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let i = 0; i < this.list.length; i++) this.slots[this.find(this.list[i]!.name)] = i + 1;
  }

  *keys(): Generator<string> {
    for (let i = 0; i < this.list.length; i++) yield this.list[i]!.name;
  }

  *values(): Generator<TerminalState> {
    for (let i = 0; i < this.list.length; i++) yield this.list[i]!;
  }

  *entries(): Generator<[string, TerminalState]> {
    for (let i = 0; i < this.list.length; i++) yield [this.list[i]!.name, this.list[i]!];
  }

  [Symbol.iterator](): Generator<[string, TerminalState]> {
    return this.entries();
  }
}
