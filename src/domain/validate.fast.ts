// The fast path of `validateParsed(JSON.parse(line))` for the event lines devices actually send:
// one pass over the line's characters that parses, validates and builds the event at once. It is
// never wider than the validator: anything it is not certain about — escapes, whitespace, unknown
// or repeated keys, envelope keys out of their usual order, exponents, long numbers, odd timestamps,
// a value the validator would refuse, a string with 13 or more digits (a possible card number) —
// makes it answer undefined, and the caller takes the full path (JSON.parse + validateParsed),
// which accepts or refuses with its usual message. What it accepts equals the full path's event:
// same keys in the same order, same values, `tsMs` last.
import { EVENT_TYPES, type PosEvent } from './event.ts';
import { APP_REF, APPS, BIN, BODIES, BOOL, CODE, CODE_BIT, CURRENCY, ENUM, ENVELOPE_VALUES, INT, NUM, OBJ, RC, STAN, STR, SUB, type Field, type ScanField, type Table } from './validate.fields.ts';
import { isoUtcEnd, isoUtcMs } from './validate.time.ts';

export type { ScanField } from './validate.fields.ts';

/** Powers of ten that doubles hold exactly (m / 10^k is then correctly rounded, as JSON.parse is). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** Strings with this many digits might hold a card number: the full path decides. */
const PAN_DIGITS = 13;
const BAIL = Symbol('bail');

/** Marks of the token stream: a value, the start of a nested object, its end. */
export const TOKEN_VALUE = 0;
export const TOKEN_OPEN = 1;
export const TOKEN_CLOSE = 2;

/** An event scanned into tokens (scanEventTokens): valid until the next scan. */
export interface ScannedEvent {
  id: string;
  type: string;
  terminal: string;
  ts: string;
  tsMs: number;
  /** The body's members in line order: `count` tokens of field, mark and value. */
  count: number;
  fields: readonly ScanField[];
  marks: readonly number[];
  values: readonly unknown[];
}

const EMITTED = Object.freeze({});

class Scanner {
  s = '';
  p = 0;
  end = 0;
  /** Tokens instead of objects (scanEventTokens). */
  emit = false;
  readonly scanned: ScannedEvent = { id: '', type: '', terminal: '', ts: '', tsMs: 0, count: 0, fields: [], marks: [], values: [] };
  private readonly tokFields: Field[] = [];
  private readonly tokMarks: number[] = [];
  private readonly tokValues: unknown[] = [];
  private tokCount = 0;

  private tok(f: Field, mark: number, v: unknown): void {
    const i = this.tokCount++;
    this.tokFields[i] = f;
    this.tokMarks[i] = mark;
    this.tokValues[i] = v;
  }
  /** The string at p (no escapes, no control characters, at most `max` long; fewer than 13 digits unless `anyDigits`). */
  str(max: number, anyDigits: boolean): string | undefined {
    const s = this.s;
    if (s.charCodeAt(this.p) !== 34) return undefined;
    const from = this.p + 1;
    const end = this.end;
    let digits = 0;
    for (let i = from; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        if (i - from > max || (digits >= PAN_DIGITS && !anyDigits)) return undefined;
        this.p = i + 1;
        return s.slice(from, i);
      }
      if (c === 92 || c < 32) return undefined;
      if (c <= 57 && c >= 48) digits++;
    }
    return undefined;
  }

  /** `kind` 0: characters of a terminal id; 1: name@version; 2: upper-case code; 3: digits; 4: letters/digits; 5: A-Z. */
  token(kind: number, minLen: number, maxLen: number): string | undefined {
    const s = this.s;
    if (s.charCodeAt(this.p) !== 34) return undefined;
    const from = this.p + 1;
    const end = this.end;
    let digits = 0;
    let at = -1;
    let i = from;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) break;
      const digit = c >= 48 && c <= 57;
      const upper = c >= 65 && c <= 90;
      if (digit) digits++;
      let ok: boolean;
      if (kind === 0) ok = digit || upper || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45;
      else if (kind === 1) {
        ok = c > 32 && c < 127 && c !== 92;
        if (c === 64) {
          if (at !== -1) return undefined;
          at = i;
        }
      } else if (kind === 2) ok = upper || (i > from && (digit || c === 95));
      else if (kind === 3) ok = digit;
      else if (kind === 4) ok = digit || upper || (c >= 97 && c <= 122);
      else ok = upper;
      if (!ok) return undefined;
    }
    const len = i - from;
    if (i >= end || len < minLen || len > maxLen || digits >= PAN_DIGITS) return undefined;
    if (kind === 1 && (at === -1 || at === from || at === i - 1)) return undefined;
    this.p = i + 1;
    return s.slice(from, i);
  }

  /** One of `list` at p, as the list's own string (no copy). */
  oneOf(list: readonly string[]): string | undefined {
    const s = this.s;
    const p = this.p;
    if (s.charCodeAt(p) !== 34) return undefined;
    for (let k = 0; k < list.length; k++) {
      const v = list[k]!;
      if (s.charCodeAt(p + 1 + v.length) === 34 && this.at(v, p + 1)) {
        this.p = p + v.length + 2;
        return v;
      }
    }
    return undefined;
  }

  /** Whether `text` is at `pos`. */
  at(text: string, pos: number): boolean {
    return this.s.startsWith(text, pos);
  }

  /** A JSON number at p with at most 15 digits and no exponent; NaN when not. */
  num(): number {
    const s = this.s;
    let i = this.p;
    let c = s.charCodeAt(i);
    const neg = c === 45;
    if (neg) c = s.charCodeAt(++i);
    let m = 0;
    let digits = 0;
    if (c === 48) {
      c = s.charCodeAt(++i);
      digits = 1;
      if (c >= 48 && c <= 57) return NaN; // a leading zero
    } else {
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        digits++;
        c = s.charCodeAt(++i);
      }
      if (digits === 0) return NaN;
    }
    let scale = 0;
    if (c === 46) {
      c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        m = m * 10 + (c - 48);
        scale++;
        c = s.charCodeAt(++i);
      }
      if (scale === 0) return NaN;
    }
    if (c === 101 || c === 69 || digits + scale > 15) return NaN;
    this.p = i;
    const v = scale === 0 ? m : m / POW10[scale]!;
    return neg ? -v : v;
  }

  bool(): boolean | undefined {
    if (this.at('true', this.p)) {
      this.p += 4;
      return true;
    }
    if (this.at('false', this.p)) {
      this.p += 5;
      return false;
    }
    return undefined;
  }

  apps(): string[] | undefined {
    if (this.s.charCodeAt(this.p) !== 91) return undefined;
    this.p++;
    const out: string[] = [];
    if (this.s.charCodeAt(this.p) === 93) {
      this.p++;
      return out;
    }
    for (;;) {
      const a = this.token(1, 3, 200);
      if (a === undefined || out.push(a) > 256) return undefined;
      const c = this.s.charCodeAt(this.p++);
      if (c === 93) return out;
      if (c !== 44) return undefined;
    }
  }

  value(f: Field): unknown {
    switch (f.kind) {
      case STR:
        return this.str(f.max, false) ?? BAIL;
      case ENUM:
        return this.oneOf(f.list) ?? BAIL;
      case NUM: {
        const v = this.num();
        return v >= f.min && v <= f.max ? v : BAIL; // NaN fails both
      }
      case INT: {
        const v = this.num();
        return v >= 0 && Number.isInteger(v) ? v : BAIL;
      }
      case BOOL:
        return this.bool() ?? BAIL;
      case OBJ: {
        if (this.s.charCodeAt(this.p) !== 123) return BAIL;
        this.p++;
        if (this.emit) this.tok(f, TOKEN_OPEN, undefined);
        const o = this.object(SUB[f.table]!, true) ?? BAIL;
        if (this.emit) this.tok(f, TOKEN_CLOSE, undefined);
        return o;
      }
      case APPS:
        return this.apps() ?? BAIL;
      case STAN: {
        if (this.s.charCodeAt(this.p) === 34) return this.str(12, false) ?? BAIL;
        const v = this.num();
        return v >= 0 && Number.isInteger(v) ? v : BAIL;
      }
      case RC:
        if (this.at('null', this.p)) {
          this.p += 4;
          return null;
        }
        return this.token(4, 2, 2) ?? BAIL;
      case BIN:
        return this.token(3, 6, 8) ?? BAIL;
      case CURRENCY:
        return this.token(5, 3, 3) ?? BAIL;
      case CODE:
        return this.token(2, 1, 64) ?? BAIL;
      case APP_REF:
        return this.token(1, 3, 200) ?? BAIL;
      default:
        return BAIL;
    }
  }

  /**
   * The members of an object up to and past its '}' (p is after '{', or at the ',' before the next
   * member when `first` is false), built as an object; undefined on any doubt. Keys are looked for
   * from the one after the last found, as devices send them in a fixed order.
   */
  object(t: Table, first: boolean, required = 0): Record<string, unknown> | undefined {
    const s = this.s;
    const table = t.fields;
    const values = t.values;
    const n = table.length;
    let seen = 0;
    let next = 0;
    let last = -1;
    let inOrder = true;
    const order = t.order;
    if (first && s.charCodeAt(this.p) === 125) {
      this.p++;
      return {};
    }
    for (;;) {
      if (!first) {
        const c = s.charCodeAt(this.p);
        if (c === 125) {
          this.p++;
          break;
        }
        if (c !== 44) return undefined;
        this.p++;
      }
      first = false;
      let f: Field | undefined;
      const p = this.p;
      const c1 = s.charCodeAt(p + 1);
      for (let k = 0; k < n; k++) {
        const g = table[next + k < n ? next + k : next + k - n]!;
        if (g.c1 === c1 && s.charCodeAt(p + g.q.length - 2) === 34 && this.at(g.q, p)) {
          f = g;
          break;
        }
      }
      if (f === undefined || (seen & f.bit) !== 0) return undefined;
      if (f.at <= last) {
        if (inOrder) {
          order.length = 0;
          for (const g of table) if ((seen & g.bit) !== 0) order.push(g);
        }
        inOrder = false;
      }
      seen |= f.bit;
      last = f.at;
      next = f.at + 1 === n ? 0 : f.at + 1;
      this.p += f.q.length;
      const v = this.value(f);
      if (v === BAIL) return undefined;
      if (this.emit) {
        if (f.kind !== OBJ) this.tok(f, TOKEN_VALUE, v);
        continue;
      }
      values[f.at] = v;
      if (!inOrder) order.push(f);
    }
    if ((seen & required) !== required) return undefined;
    if (this.emit) return EMITTED;
    if (inOrder) return t.builders.get(seen)(values);
    // members out of the table's order: an object with the keys in the line's order
    const e = ENVELOPE_VALUES;
    const o: Record<string, unknown> = t.builders.envelope ? { v: 1, id: e[0], type: e[1], terminal: e[2], ts: e[3] } : {};
    for (const g of order) o[g.name] = values[g.at];
    if (t.builders.envelope) o['tsMs'] = e[4];
    return o;
  }

  /** `"YYYY-MM-DDTHH:MM:SSZ"` or with `.sss` before the Z, to epoch ms; NaN for any other form. */
  timestamp(): number {
    const s = this.s;
    if (s.charCodeAt(this.p) !== 34) return NaN;
    const ms = isoUtcMs(s, this.p + 1);
    const end = isoUtcEnd();
    if (Number.isNaN(ms) || s.charCodeAt(end) !== 34) return NaN;
    this.p = end + 1;
    return ms;
  }

  /** The event as an object, or (emit) EMITTED with its tokens in `scanned`. */
  event(): object | undefined {
    const s = this.s;
    this.tokCount = 0;
    if (!this.at('{"v":1,"id":', this.p)) return undefined;
    this.p += 12;
    const id = this.str(64, true); // the envelope id is the device's own (often a 13-digit time), never a card number
    if (id === undefined || id.length === 0 || !this.at(',"type":', this.p)) return undefined;
    this.p += 8;
    const type = this.oneOf(EVENT_TYPES);
    if (type === undefined || !this.at(',"terminal":', this.p)) return undefined;
    this.p += 12;
    const terminal = this.token(0, 1, 64);
    if (terminal === undefined || !this.at(',"ts":', this.p)) return undefined;
    this.p += 6;
    const from = this.p + 1;
    const tsMs = this.timestamp();
    if (Number.isNaN(tsMs)) return undefined;
    const e = ENVELOPE_VALUES;
    e[0] = id;
    e[1] = type;
    e[2] = terminal;
    e[3] = s.slice(from, this.p - 1);
    e[4] = tsMs;
    const o = this.object(BODIES[type]!, false, type === 'error' ? CODE_BIT : 0);
    if (o === undefined || this.p !== this.end) return undefined;
    if (this.emit) {
      const r = this.scanned;
      r.id = id;
      r.type = type;
      r.terminal = terminal;
      r.ts = e[3] as string;
      r.tsMs = tsMs;
      r.count = this.tokCount;
      r.fields = this.tokFields;
      r.marks = this.tokMarks;
      r.values = this.tokValues;
    }
    return o;
  }
}

const scanner = new Scanner();

/**
 * The event on text[start, stop) when the fast path is certain of it — exactly what
 * `validateParsed(JSON.parse(line), line)` gives — or undefined: then take that full path.
 */
export function scanEvent(text: string, start = 0, stop = text.length): PosEvent | undefined {
  const sc = scanner;
  sc.s = text;
  sc.p = start;
  sc.end = stop;
  sc.emit = false;
  const e = sc.event();
  sc.s = '';
  return e as PosEvent | undefined;
}

/**
 * The same scan as scanEvent(), without building the event: its envelope (id, type, terminal, tsMs)
 * and its other members as a token stream in line order (nested objects between an OPEN and a
 * CLOSE token). Undefined when scanEvent() would answer undefined. Valid until the next scan.
 */
export function scanEventTokens(text: string, start = 0, stop = text.length): ScannedEvent | undefined {
  const sc = scanner;
  sc.s = text;
  sc.p = start;
  sc.end = stop;
  sc.emit = true;
  const e = sc.event();
  sc.s = '';
  return e === undefined ? undefined : sc.scanned;
}
