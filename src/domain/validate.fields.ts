// The fields the scanner (validate.fast.ts) knows, per event type, with the validator's rules
// (validate.ts) as value kinds, and the compiled object-literal builders it makes events with.
import {
  BOOT_REASONS,
  ENTRY_MODES,
  MTIS,
  NET_TYPES,
  PRINTER_STATES,
  REPORT_CHANNELS,
  SELF_TEST,
  SYMPTOMS,
  UPDATE_COMPONENTS,
  UPDATE_STATUSES,
} from './event.ts';

/** Value kinds of the fields the scanner knows (the rules are validate.ts's). */
export const STR = 0; // string of at most `max` characters
export const ENUM = 1; // one of `list`
export const NUM = 2; // finite number within [min, max]
export const INT = 3; // integer >= 0
export const BOOL = 4;
export const OBJ = 5; // object of `sub` fields
export const APPS = 6; // array of name@version
export const STAN = 7; // integer >= 0 or string of at most 12 characters
export const RC = 8; // two letters/digits or null
export const BIN = 9; // 6-8 digits
export const CURRENCY = 10; // three upper-case letters
export const CODE = 11; // upper-case code
export const APP_REF = 12; // name@version, at most 200 characters

/** A field the scanner knows, as the token stream (scanEventTokens) names it. */
export interface ScanField {
  readonly name: string;
  /** Unique among all fields of all tables. */
  readonly gid: number;
  /** A member of the event itself (not of a nested object). */
  readonly top: boolean;
}

export interface Field extends ScanField {
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
export const ENVELOPE_VALUES: unknown[] = [undefined, undefined, undefined, undefined, undefined];

export interface Table {
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
export const BODIES: Record<string, Table> = {
  heartbeat: table(HEARTBEAT, true),
  txn: table(TXN, true),
  error: table(ERROR, true),
  boot: table(BOOT, true),
  update: table(UPDATE, true),
  report: table(REPORT, true),
};
export const CODE_BIT = ERROR[0]!.bit;
for (const t of subTables.values()) for (const f of t.fields) if (f.kind === OBJ) throw new Error('nested tables go one level deep');
export const SUB: Table[] = [];
for (const fs of [HEARTBEAT, TXN, ERROR, BOOT, UPDATE, REPORT]) for (const f of fs) if (f.kind === OBJ) f.table = SUB.push(subTables.get(f)!) - 1;

