// One validator for every event of spec/events.md, hand-written for the hot path.
// It never throws: it answers with the event (ts parsed to tsMs) or a reason naming the field.

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
import { findPan, hasLongDigitRun } from './pan.ts';
import { isoUtcEnd, isoUtcMs } from './validate.time.ts';

export type Validation = { ok: true; event: PosEvent } | { ok: false; error: string };

const TERMINAL_RE = /^[A-Za-z0-9._-]{1,64}$/;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
const RC_RE = /^[A-Za-z0-9]{2}$/;
const BIN_RE = /^\d{6,8}$/;
const CURRENCY_RE = /^[A-Z]{3}$/;
const APP_REF_RE = /^[^@\s]+@[^@\s]+$/;
const ERROR_CODE_RE = /^[A-Z][A-Z0-9_]{0,63}$/;

class Invalid extends Error {}

function fail(message: string): never {
  throw new Invalid(message);
}

type Obj = Record<string, unknown>;

function isObject(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function optString(o: Obj, key: string, path: string, max = 256): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'string') fail(`${path}${key} must be a string`);
  if (v.length > max) fail(`${path}${key} must be at most ${max} characters`);
}

function optEnum(o: Obj, key: string, path: string, allowed: readonly string[]): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'string' || !allowed.includes(v)) fail(`${path}${key} must be one of ${allowed.join(', ')}`);
}

function optNumber(o: Obj, key: string, path: string, min: number, max: number): void {
  const v = o[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${path}${key} must be a number`);
  if (v < min || v > max) {
    fail(`${path}${key} must be ${max === Infinity ? `>= ${min}` : `between ${min} and ${max}`}, got ${v}`);
  }
}

function optBoolean(o: Obj, key: string, path: string): void {
  const v = o[key];
  if (v !== undefined && typeof v !== 'boolean') fail(`${path}${key} must be true or false`);
}

function optObject(o: Obj, key: string, path: string): Obj | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) fail(`${path}${key} must be an object`);
  return v;
}

function checkHeartbeat(e: Obj): void {
  const net = optObject(e, 'net', '');
  if (net) {
    optEnum(net, 'type', 'net.', NET_TYPES);
    optString(net, 'carrier', 'net.', 64);
    optNumber(net, 'rssi_dbm', 'net.', -140, 0);
    optNumber(net, 'host_rtt_ms', 'net.', 0, Infinity);
    optBoolean(net, 'dns_ok', 'net.');
  }
  const battery = optObject(e, 'battery', '');
  if (battery) {
    optNumber(battery, 'level_pct', 'battery.', 0, 100);
    optBoolean(battery, 'charging', 'battery.');
    optNumber(battery, 'health_pct', 'battery.', 0, 100);
  }
  const env = optObject(e, 'env', '');
  if (env) {
    optNumber(env, 'temp_c', 'env.', -100, 200);
    optNumber(env, 'humidity_pct', 'env.', 0, 100);
  }
  optNumber(e, 'mem_free_mb', '', 0, Infinity);
  optNumber(e, 'storage_free_mb', '', 0, Infinity);
  const versions = optObject(e, 'versions', '');
  if (versions) {
    optString(versions, 'firmware', 'versions.', 64);
    optString(versions, 'app', 'versions.', 64);
  }
  const apps = e['apps'];
  if (apps !== undefined) {
    if (!Array.isArray(apps)) fail('apps must be an array of name@version');
    if (apps.length > 256) fail('apps must list at most 256 apps');
    for (let i = 0; i < apps.length; i++) {
      const a: unknown = apps[i];
      if (typeof a !== 'string' || a.length > 200 || !APP_REF_RE.test(a)) fail(`apps[${i}] must be name@version`);
    }
  }
  optEnum(e, 'printer', '', PRINTER_STATES);
  const reader = optObject(e, 'reader', '');
  if (reader) {
    optEnum(reader, 'chip', 'reader.', SELF_TEST);
    optEnum(reader, 'contactless', 'reader.', SELF_TEST);
    optEnum(reader, 'magstripe', 'reader.', SELF_TEST);
  }
  optEnum(e, 'screen', '', SELF_TEST);
  optEnum(e, 'keypad', '', SELF_TEST);
  optBoolean(e, 'tamper', '');
  optNumber(e, 'uptime_s', '', 0, Infinity);
}

function checkTxn(e: Obj): void {
  optEnum(e, 'mti', '', MTIS);
  const stan = e['stan'];
  if (stan !== undefined) {
    if (typeof stan === 'number') {
      if (!Number.isInteger(stan) || stan < 0) fail('stan must be a non-negative integer or a string');
    } else if (typeof stan !== 'string' || stan.length > 12) fail('stan must be a string of at most 12 characters or an integer');
  }
  optEnum(e, 'entry', '', ENTRY_MODES);
  const amount = e['amount'];
  if (amount !== undefined && (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0)) {
    fail('amount must be an integer >= 0 (minor units)');
  }
  const currency = e['currency'];
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCY_RE.test(currency))) {
    fail('currency must be an ISO 4217 alpha code such as CNY');
  }
  const rc = e['rc'];
  if (rc !== undefined && rc !== null && (typeof rc !== 'string' || !RC_RE.test(rc))) {
    fail('rc must be two characters or null');
  }
  optBoolean(e, 'timeout', '');
  optNumber(e, 'latency_ms', '', 0, Infinity);
  optString(e, 'operator', '', 64);
  const bin = e['bin'];
  if (bin !== undefined) {
    if (typeof bin !== 'string' || !/^\d+$/.test(bin)) fail('bin must be 6-8 digits');
    if (bin.length > 8) fail('bin must be 6-8 digits (a full card number is refused)');
    if (!BIN_RE.test(bin)) fail('bin must be 6-8 digits');
  }
  optString(e, 'merchant', '', 64);
}

function checkError(e: Obj): void {
  const code = e['code'];
  if (code === undefined) fail('code is required for an error event');
  if (typeof code !== 'string' || !ERROR_CODE_RE.test(code)) fail('code must be an upper-case code such as APP_CRASH');
  optEnum(e, 'entry', '', ENTRY_MODES);
  const app = e['app'];
  if (app !== undefined && (typeof app !== 'string' || app.length > 200 || !APP_REF_RE.test(app))) {
    fail('app must be name@version');
  }
  optString(e, 'operator', '', 64);
  optString(e, 'message', '', 1000);
}

function checkUpdate(e: Obj): void {
  optEnum(e, 'component', '', UPDATE_COMPONENTS);
  optString(e, 'from', '', 64);
  optString(e, 'to', '', 64);
  optEnum(e, 'status', '', UPDATE_STATUSES);
  optString(e, 'reason', '', 1000);
  optString(e, 'campaign', '', 128);
}

function checkReport(e: Obj): void {
  optEnum(e, 'symptom', '', SYMPTOMS);
  optString(e, 'text', '', 2000);
  optEnum(e, 'channel', '', REPORT_CHANNELS);
}

const BODY_CHECKS: Record<string, (e: Obj) => void> = {
  heartbeat: checkHeartbeat,
  txn: checkTxn,
  error: checkError,
  boot: (e) => optEnum(e, 'reason', '', BOOT_REASONS),
  update: checkUpdate,
  report: checkReport,
};

/** Parses an RFC 3339 timestamp to epoch ms, or returns undefined. */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts.length > 40) return undefined;
  const fast = isoUtcMs(ts, 0); // the usual forms without the regex and Date.parse
  if (!Number.isNaN(fast) && isoUtcEnd() === ts.length) return fast;
  if (!RFC3339_RE.test(ts)) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

function checkEvent(x: unknown, panPossible: boolean): PosEvent {
  if (!isObject(x)) fail('an event must be a JSON object');
  if (x['v'] === undefined) fail('v is required');
  if (x['v'] !== 1) fail('v must be 1');
  const id = x['id'];
  if (id === undefined) fail('id is required');
  if (typeof id !== 'string' || id.length < 1 || id.length > 64) fail('id must be a string of 1-64 characters');
  const type = x['type'];
  if (type === undefined) fail('type is required');
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    fail(`type must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const terminal = x['terminal'];
  if (terminal === undefined) fail('terminal is required');
  if (typeof terminal !== 'string' || !TERMINAL_RE.test(terminal)) {
    fail('terminal must be 1-64 characters of A-Z a-z 0-9 . _ -');
  }
  if (x['ts'] === undefined) fail('ts is required');
  const tsMs = parseTimestamp(x['ts']);
  if (tsMs === undefined) fail('ts must be an RFC 3339 timestamp such as 2026-11-20T18:00:00Z');
  BODY_CHECKS[type]!(x);
  const pan = panPossible ? findPan(x) : undefined;
  if (pan) fail(`${pan} holds what looks like a full card number (PAN); it is refused`);
  x['tsMs'] = tsMs;
  return x as unknown as PosEvent;
}

/** Validates one parsed JSON value as an event of spec/events.md. */
export function validateEvent(x: unknown): Validation {
  try {
    return { ok: true, event: checkEvent(x, true) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    throw err;
  }
}

/**
 * Validates a value parsed from `raw`. The card-number walk over every string runs only when the raw
 * text could hold one (a run of 13 digits, or JSON escapes that could spell digits).
 */
export function validateParsed(parsed: unknown, raw: string): Validation {
  try {
    const panPossible = hasLongDigitRun(raw) || raw.includes('\\u');
    return { ok: true, event: checkEvent(parsed, panPossible) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, error: err.message };
    throw err;
  }
}

/** Parses and validates one line of NDJSON. */
export function validateLine(line: string): Validation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `not valid JSON: ${(err as Error).message}` };
  }
  return validateParsed(parsed, line);
}
