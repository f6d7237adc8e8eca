// The fleet registry of spec/events.md: terminals, merchants, models, maintenance windows.
// Read from one JSON document or from one CSV per list; every bad row is reported by number.

export interface RegistryTerminal {
  terminal: string;
  merchant?: string;
  model?: string;
  region?: string;
  carrier?: string;
  sim_expires?: string;
  lease_expires?: string;
  installed?: string;
  host?: string;
}

export interface RegistryMerchant {
  merchant: string;
  name?: string;
  fee_rate?: number;
  daily_limit?: number;
}

export interface RegistryModel {
  model: string;
  vendor?: string;
  min_firmware?: string;
  min_app?: string;
}

export interface MaintenanceWindow {
  start: string;
  end: string;
  host?: string;
  note?: string;
}

export interface Registry {
  terminals: RegistryTerminal[];
  merchants: RegistryMerchant[];
  models: RegistryModel[];
  maintenance: MaintenanceWindow[];
}

export type RegistryList = keyof Registry;

export interface RegistryProblem {
  list: RegistryList | 'document';
  /** 1-based row (CSV: line number in the file; JSON: index + 1 in the list). */
  row: number;
  error: string;
}

export interface RegistryParse {
  registry: Registry;
  problems: RegistryProblem[];
}

const TERMINAL_RE = /^[A-Za-z0-9._-]{1,64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

type Row = Record<string, unknown>;

function str(row: Row, key: string, required = false): string | undefined {
  const v = row[key];
  if (v === undefined || v === null || v === '') {
    if (required) throw new Error(`${key} is required`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${key} must be a string`);
  return String(v);
}

function date(row: Row, key: string): string | undefined {
  const v = str(row, key);
  if (v === undefined) return undefined;
  if (!DATE_RE.test(v) || Number.isNaN(Date.parse(v))) throw new Error(`${key} must be a date like 2026-11-30, got "${v}"`);
  return v;
}

function timestamp(row: Row, key: string, required: boolean): string | undefined {
  const v = str(row, key, required);
  if (v === undefined) return undefined;
  if (Number.isNaN(Date.parse(v))) throw new Error(`${key} must be an RFC 3339 timestamp, got "${v}"`);
  return v;
}

function num(row: Row, key: string, min: number, max: number): number | undefined {
  const v = row[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${key} must be a number between ${min} and ${max}, got "${String(v)}"`);
  return n;
}

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

const ROW_READERS: { [K in RegistryList]: (row: Row) => Registry[K][number] } = {
  terminals: (row) => {
    const terminal = str(row, 'terminal', true)!;
    if (!TERMINAL_RE.test(terminal)) throw new Error('terminal must be 1-64 characters of A-Z a-z 0-9 . _ -');
    return compact({
      terminal,
      merchant: str(row, 'merchant'),
      model: str(row, 'model'),
      region: str(row, 'region'),
      carrier: str(row, 'carrier'),
      sim_expires: date(row, 'sim_expires'),
      lease_expires: date(row, 'lease_expires'),
      installed: date(row, 'installed'),
      host: str(row, 'host'),
    });
  },
  merchants: (row) =>
    compact({
      merchant: str(row, 'merchant', true)!,
      name: str(row, 'name'),
      fee_rate: num(row, 'fee_rate', 0, 1),
      daily_limit: num(row, 'daily_limit', 0, Number.MAX_SAFE_INTEGER),
    }),
  models: (row) =>
    compact({
      model: str(row, 'model', true)!,
      vendor: str(row, 'vendor'),
      min_firmware: str(row, 'min_firmware'),
      min_app: str(row, 'min_app'),
    }),
  maintenance: (row) => {
    const w = compact({
      start: timestamp(row, 'start', true)!,
      end: timestamp(row, 'end', true)!,
      host: str(row, 'host'),
      note: str(row, 'note'),
    });
    if (Date.parse(w.end) < Date.parse(w.start)) throw new Error('end must not be before start');
    return w;
  },
};

export const REGISTRY_LISTS = Object.keys(ROW_READERS) as RegistryList[];

export function emptyRegistry(): Registry {
  return { terminals: [], merchants: [], models: [], maintenance: [] };
}

/** Reads rows of one list; each bad row becomes a problem, the rest are kept. */
export function readRegistryRows(list: RegistryList, rows: Row[], rowNumber: (i: number) => number, into: RegistryParse): void {
  const seen = new Set<string>();
  const key = list === 'maintenance' ? undefined : list.slice(0, -1);
  rows.forEach((row, i) => {
    try {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('a row must be an object');
      const item = ROW_READERS[list](row);
      if (key) {
        const id = (item as unknown as Row)[key] as string;
        if (seen.has(id)) throw new Error(`${key} ${id} is listed twice`);
        seen.add(id);
      }
      (into.registry[list] as unknown[]).push(item);
    } catch (err) {
      into.problems.push({ list, row: rowNumber(i), error: (err as Error).message });
    }
  });
}

/** Parses the registry JSON document `{"terminals":[…],"merchants":[…],"models":[…],"maintenance":[…]}`. */
export function parseRegistryJson(text: string): RegistryParse {
  const out: RegistryParse = { registry: emptyRegistry(), problems: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`the registry is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new Error('the registry must be a JSON object with terminals, merchants, models and maintenance lists');
  }
  for (const list of REGISTRY_LISTS) {
    const rows = (doc as Row)[list];
    if (rows === undefined) continue;
    if (!Array.isArray(rows)) {
      out.problems.push({ list: 'document', row: 0, error: `${list} must be a list` });
      continue;
    }
    readRegistryRows(list, rows as Row[], (i) => i + 1, out);
  }
  return out;
}

/** Splits CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) throw new Error('the CSV ends inside a quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Reads one CSV list of the registry (header row first) into `into`. */
export function readRegistryCsv(list: RegistryList, text: string, into: RegistryParse): void {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = rows.shift()?.map((h) => h.trim());
  if (!header || header.length === 0) throw new Error(`the ${list} CSV has no header row`);
  const objects: Row[] = [];
  const lines: number[] = [];
  rows.forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === '') return;
    const o: Row = {};
    header.forEach((h, j) => (o[h] = cells[j]?.trim()));
    objects.push(o);
    lines.push(i + 2);
  });
  readRegistryRows(list, objects, (i) => lines[i]!, into);
}

/** Guesses which list a CSV file holds from its header. */
export function csvList(header: string): RegistryList | undefined {
  const cols = header.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (cols.includes('terminal')) return 'terminals';
  if (cols.includes('start') && cols.includes('end')) return 'maintenance';
  if (cols.includes('model')) return 'models';
  if (cols.includes('merchant')) return 'merchants';
  return undefined;
}
