// The fast path of `validateParsed(JSON.parse(line))` for the event lines devices actually send:
// one pass over the line's characters that parses, validates and builds the event at once. It is
// never wider than the validator: anything it is not certain about — escapes, whitespace, unknown
// or repeated keys, envelope keys out of their usual order, exponents, long numbers, odd timestamps,
// a value the validator would refuse, a string with 13 or more digits (a possible card number) —
// makes it answer undefined, and the caller takes the full path (JSON.parse + validateParsed),
// which accepts or refuses with its usual message. What it accepts equals the full path's event:
// same keys in the same order, same values, `tsMs` last.
import {
  BOOT_REASONS,
  ENTRY_MODES,
  EVENT_TYPES,
  MTIS,
  NET_TYPES,
  PRINTER_STATES,
  REPORT_CHANNELS,
  SELF_TEST,
  SYMPTOMS,
  UPDATE_COMPONENTS,
  UPDATE_STATUSES,
  type PosEvent,
} from './event.ts';

/** Value kinds of the fields the scanner knows (the rules are validate.ts's). */
const STR = 0; // string of at most `max` characters
const ENUM = 1; // one of `list`
const NUM = 2; // finite number within [min, max]
const INT = 3; // integer >= 0
const BOOL = 4;
const OBJ = 5; // object of `sub` fields
const APPS = 6; // array of name@version
const STAN = 7; // integer >= 0 or string of at most 12 characters
const RC = 8; // two letters/digits or null
const BIN = 9; // 6-8 digits
const CURRENCY = 10; // three upper-case letters
const CODE = 11; // upper-case code
const APP_REF = 12; // name@version, at most 200 characters

/** A field the scanner knows, as the token stream (scanEventTokens) names it. */
export interface ScanField {
  readonly name: string;
  /** Unique among all fields of all tables. */
  readonly gid: number;
  /** A member of the event itself (not of a nested object). */
  readonly top: boolean;
}

interface Field extends ScanField {
  /** `"name":` as it appears in the line. */
  q: string;
  /** The name's first character code (a cheap first test). */
  c1: number;
  name: string;
  kind: number;
  /** Position in its table, and its bit in the set of fields seen. */
  at: number;
  bit: number;
  max: number;
  min: number;
  list: readonly string[];
  sub: Field[];
  /** Index of an OBJ field's table in SUB. */
  table: number;
}

let gids = 0;

function fields(spec: [name: string, kind: number, a?: number | readonly string[] | Field[], b?: number][], top = false): Field[] {
  return spec.map(([name, kind, a, b], i) => ({
    gid: gids++,
    top,
    q: `"${name}":`,
    c1: name.charCodeAt(0),
    name,
    kind,
    at: i,
    bit: 1 << i,
    max: kind === NUM ? (b ?? Infinity) : typeof a === 'number' ? a : 0,
    min: kind === NUM ? (a as number) : 0,
    list: kind === ENUM ? (a as readonly string[]) : [],
    sub: kind === OBJ ? (a as Field[]) : [],
    table: -1,
  }));
}

const HEARTBEAT = fields([
  ['net', OBJ, fields([['type', ENUM, NET_TYPES], ['carrier', STR, 64], ['rssi_dbm', NUM, -140, 0], ['host_rtt_ms', NUM, 0], ['dns_ok', BOOL]])],
  ['battery', OBJ, fields([['level_pct', NUM, 0, 100], ['charging', BOOL], ['health_pct', NUM, 0, 100]])],
  ['env', OBJ, fields([['temp_c', NUM, -100, 200], ['humidity_pct', NUM, 0, 100]])],
  ['printer', ENUM, PRINTER_STATES],
  ['mem_free_mb', NUM, 0],
  ['storage_free_mb', NUM, 0],
  ['versions', OBJ, fields([['firmware', STR, 64], ['app', STR, 64]])],
  ['apps', APPS],
  ['reader', OBJ, fields([['chip', ENUM, SELF_TEST], ['contactless', ENUM, SELF_TEST], ['magstripe', ENUM, SELF_TEST]])],
  ['screen', ENUM, SELF_TEST],
  ['keypad', ENUM, SELF_TEST],
  ['tamper', BOOL],
  ['uptime_s', NUM, 0],
], true);

const TXN = fields([
  ['mti', ENUM, MTIS],
  ['stan', STAN],
  ['entry', ENUM, ENTRY_MODES],
  ['amount', INT],
  ['currency', CURRENCY],
  ['rc', RC],
  ['timeout', BOOL],
  ['latency_ms', NUM, 0],
  ['operator', STR, 64],
  ['bin', BIN],
  ['merchant', STR, 64],
], true);

const ERROR = fields([['code', CODE], ['message', STR, 1000], ['entry', ENUM, ENTRY_MODES], ['app', APP_REF], ['operator', STR, 64]], true);
const BOOT = fields([['reason', ENUM, BOOT_REASONS]], true);
const UPDATE = fields([['component', ENUM, UPDATE_COMPONENTS], ['from', STR, 64], ['to', STR, 64], ['status', ENUM, UPDATE_STATUSES], ['reason', STR, 1000], ['campaign', STR, 128]], true);
const REPORT = fields([['symptom', ENUM, SYMPTOMS], ['text', STR, 2000], ['channel', ENUM, REPORT_CHANNELS]], true);

/** Powers of ten that doubles hold exactly (m / 10^k is then correctly rounded, as JSON.parse is). */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** Strings with this many digits might hold a card number: the full path decides. */
const PAN_DIGITS = 13;
const BAIL = Symbol('bail');
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type Build = (v: unknown[]) => Record<string, unknown>;

/**
 * One object-literal function per table and set of fields seen, for members that came in the
 * table's order (the usual case): the objects then have the same few hidden classes as JSON.parse's
 * and are built without a keyed store per member. `envelope`: the event's own keys around them.
 */
class Builders {
  private readonly byMask = new Map<number, Build>();
  private lastMask = -1;
  private last: Build | undefined;
  constructor(private readonly table: Field[], readonly envelope: boolean) {}

  get(mask: number): Build {
    if (mask === this.lastMask) return this.last!;
    let b = this.byMask.get(mask);
    if (b === undefined) {
      const parts = this.envelope ? ['v: 1', 'id: e[0]', 'type: e[1]', 'terminal: e[2]', 'ts: e[3]'] : [];
      for (const f of this.table) if ((mask & f.bit) !== 0) parts.push(`${JSON.stringify(f.name)}: v[${f.at}]`);
      if (this.envelope) parts.push('tsMs: e[4]');
      b = new Function('e', `return function (v) { return { ${parts.join(', ')} }; };`)(ENVELOPE_VALUES) as Build;
      this.byMask.set(mask, b);
    }
    this.lastMask = mask;
    this.last = b;
    return b;
  }
}

/** The envelope's values of the event being scanned: id, type, terminal, ts, tsMs. */
const ENVELOPE_VALUES: unknown[] = [undefined, undefined, undefined, undefined, undefined];

interface Table {
  fields: Field[];
  builders: Builders;
  /** Values of the members found, by field position (reused: one table is never nested in itself). */
  values: unknown[];
  /** The members of the object being scanned, in line order, once they left the table's order. */
  order: Field[];
}

function table(fs: Field[], envelope: boolean): Table {
  for (const f of fs) if (f.kind === OBJ) subTables.set(f, table(f.sub, false));
  return { fields: fs, builders: new Builders(fs, envelope), values: fs.map(() => undefined), order: [] };
}

const subTables = new Map<Field, Table>();
const BODIES: Record<string, Table> = {
  heartbeat: table(HEARTBEAT, true),
  txn: table(TXN, true),
  error: table(ERROR, true),
  boot: table(BOOT, true),
  update: table(UPDATE, true),
  report: table(REPORT, true),
};
const CODE_BIT = ERROR[0]!.bit;
for (const t of subTables.values()) for (const f of t.fields) if (f.kind === OBJ) throw new Error('nested tables go one level deep');
const SUB: Table[] = [];
for (const fs of [HEARTBEAT, TXN, ERROR, BOOT, UPDATE, REPORT]) for (const f of fs) if (f.kind === OBJ) f.table = SUB.push(subTables.get(f)!) - 1;

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
    const s = this.s;
    for (let k = 0; k < text.length; k++) if (s.charCodeAt(pos + k) !== text.charCodeAt(k)) return false;
    return true;
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
    if (Number.isNaN(ms) || s.charCodeAt(isoEnd) !== 34) return NaN;
    this.p = isoEnd + 1;
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

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SS[.sss](Z|±HH:MM)` starting at s[i] (year 1000 on, hours 00-23,
 * seconds 00-59, days up to the month's longest, offsets up to ±23:59; a day past the month's end
 * rolls over as Date.parse does), its end in isoEnd; NaN for anything else, which Date.parse must
 * then judge. What follows is the caller's to check.
 */
export function isoUtcMs(s: string, i: number): number {
  const hi = two(s, i);
  const lo = two(s, i + 2);
  const mo = two(s, i + 5);
  const d = two(s, i + 8);
  const h = two(s, i + 11);
  const mi = two(s, i + 14);
  const sec = two(s, i + 17);
  if (hi < 10 || lo < 0 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo]! || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  if (s.charCodeAt(i + 4) !== 45 || s.charCodeAt(i + 7) !== 45 || s.charCodeAt(i + 10) !== 84 || s.charCodeAt(i + 13) !== 58 || s.charCodeAt(i + 16) !== 58) return NaN;
  let ms = 0;
  let z = i + 19;
  if (s.charCodeAt(z) === 46) {
    const a = two(s, z + 1);
    const b = s.charCodeAt(z + 3) - 48;
    if (a < 0 || b < 0 || b > 9) return NaN;
    ms = a * 10 + b;
    z += 4;
  }
  let offset = 0;
  const c = s.charCodeAt(z);
  if (c === 90) isoEnd = z + 1;
  else if (c === 43 || c === 45) {
    const oh = two(s, z + 1);
    const om = two(s, z + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || s.charCodeAt(z + 3) !== 58) return NaN;
    offset = (c === 43 ? 1 : -1) * (oh * 60 + om) * 60000;
    isoEnd = z + 6;
  } else return NaN;
  const date = ((hi * 100 + lo) * 100 + mo) * 100 + d;
  if (date !== lastDate) {
    lastDays = daysFromCivil(hi * 100 + lo, mo, d);
    lastDate = date;
  }
  return ((lastDays * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms - offset;
}

/** Where the timestamp isoUtcMs() read last ended. */
let isoEnd = 0;

/** The end of the timestamp the last successful isoUtcMs() read. */
export function isoUtcEnd(): number {
  return isoEnd;
}
/** The last date seen and its day number (events come in time order, many on one day). */
let lastDate = -1;
let lastDays = 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (a day past the month's end rolls over, as Date.UTC does). */
function daysFromCivil(y: number, m: number, d: number): number {
  if (m <= 2) y--;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
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
