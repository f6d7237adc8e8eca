// The set of duplicate keys `posops diagnose` has seen: open addressing over a Float64Array.
// Keys are 53-bit integers (diagnose.chunk.ts eventKey), so they fit a double exactly; a
// Set<number> would box each one (they are not small integers) and hash it per lookup.

export class KeySet {
  private table = new Float64Array(1 << 16);
  private mask = (1 << 16) - 1;
  private shift = 16;
  private count = 0;
  /** 0 marks an empty slot, so the key 0 is kept aside. */
  private zero = false;

  get size(): number {
    return this.count + (this.zero ? 1 : 0);
  }

  /** Adds `key` (an integer 0 <= key < 2^53); false when it was already there. */
  add(key: number): boolean {
    if (key === 0) {
      if (this.zero) return false;
      return (this.zero = true);
    }
    const t = this.table;
    let i = this.slot(key);
    for (let k = t[i]!; k !== 0; k = t[i]!) {
      if (k === key) return false;
      i = (i + 1) & this.mask;
    }
    t[i] = key;
    if (++this.count * 2 > t.length) this.grow();
    return true;
  }

  has(key: number): boolean {
    if (key === 0) return this.zero;
    const t = this.table;
    let i = this.slot(key);
    for (let k = t[i]!; k !== 0; k = t[i]!) {
      if (k === key) return true;
      i = (i + 1) & this.mask;
    }
    return false;
  }

  /** Both halves of the key mixed (multiplicative hashing), top bits taken. */
  private slot(key: number): number {
    const lo = key >>> 0; // ToUint32: the low 32 bits of the integer
    const hi = (key / 4294967296) | 0;
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.mask = this.table.length - 1;
    this.shift--;
    this.count = 0;
    for (let i = 0; i < old.length; i++) if (old[i] !== 0) this.add(old[i]!);
  }
}
