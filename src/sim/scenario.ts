// Scenario files: reading and checking the JSON that scripts a run (format in SCENARIOS.md).
// Every problem is refused with the fault's index, its line in the file, and what is wrong.
import { PosopsError, isCauseCode } from '../domain/index.ts';
import type { Scenario, ScenarioFault } from './types.ts';

const TOP_KEYS = new Set(['start', 'days', 'terminals', 'seed', 'random', 'faults', 'note', 'name']);
const FAULT_KEYS = new Set(['at', 'cause', 'terminal', 'scope', 'duration', 'magnitude', 'operator', 'announced', 'note']);

function invalid(message: string): never {
  throw new PosopsError('SIM_SCENARIO_INVALID', message);
}

/** Line (1-based) where each element of the top-level "faults" array starts. */
export function faultLineNumbers(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inFaults = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) lastKey = text.slice(i + 1, j);
      i = j;
    } else if (c === '[' || c === '{') {
      if (c === '[' && depth === 1 && lastKey === 'faults') inFaults = true;
      else if (c === '{' && depth === 2 && inFaults) lines.push(line);
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 1) inFaults = false;
    }
  }
  return lines;
}

function where(i: number, lines: number[] | undefined): string {
  const line = lines?.[i];
  return line === undefined ? `faults[${i}]` : `faults[${i}] (line ${line})`;
}

function checkFault(f: unknown, i: number, lines: number[] | undefined): ScenarioFault {
  const at = where(i, lines);
  if (typeof f !== 'object' || f === null || Array.isArray(f)) invalid(`${at}: a fault must be an object like {"at":"14:00","cause":"hw.chip_reader","terminal":"T1000017"}`);
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FAULT_KEYS.has(k)) invalid(`${at}: unknown field "${k}" (allowed: ${[...FAULT_KEYS].join(', ')})`);
  if (typeof o['at'] !== 'string') invalid(`${at}: "at" is required and must be a string such as "14:00", "d2 09:30", "+2h" or an RFC 3339 timestamp`);
  if (typeof o['cause'] !== 'string') invalid(`${at}: "cause" is required and must be a cause code such as "hw.chip_reader"`);
  if (!isCauseCode(o['cause'])) invalid(`${at}: unknown cause "${o['cause']}" (see spec/causes.md for the codes)`);
  if (o['terminal'] !== undefined && typeof o['terminal'] !== 'string') invalid(`${at}: "terminal" must be a terminal ID string`);
  if (o['duration'] !== undefined && typeof o['duration'] !== 'string') invalid(`${at}: "duration" must be a string such as "40m", "2h" or "1d"`);
  if (o['magnitude'] !== undefined && o['magnitude'] !== 'obvious' && o['magnitude'] !== 'subtle') invalid(`${at}: "magnitude" must be "obvious" or "subtle"`);
  if (o['operator'] !== undefined && typeof o['operator'] !== 'string') invalid(`${at}: "operator" must be a string`);
  if (o['announced'] !== undefined && typeof o['announced'] !== 'boolean') invalid(`${at}: "announced" must be true or false`);
  const scope = o['scope'];
  if (scope !== undefined) {
    if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) invalid(`${at}: "scope" must be an object such as {"carrier":"CUCC","region":"Hangzhou"}`);
    for (const [k, v] of Object.entries(scope)) if (typeof v !== 'string') invalid(`${at}: scope.${k} must be a string`);
  }
  if (o['terminal'] === undefined && scope === undefined) invalid(`${at}: give either "terminal" (one terminal) or "scope" (a fleet incident)`);
  return o as unknown as ScenarioFault;
}

function checkTop(o: Record<string, unknown>): void {
  for (const k of Object.keys(o)) if (!TOP_KEYS.has(k)) invalid(`unknown field "${k}" (allowed: ${[...TOP_KEYS].join(', ')})`);
  if (o['start'] !== undefined && (typeof o['start'] !== 'string' || Number.isNaN(Date.parse(o['start'])))) {
    invalid(`"start" must be an RFC 3339 timestamp such as "2026-11-20T00:00:00Z", got ${JSON.stringify(o['start'])}`);
  }
  const days = o['days'];
  if (days !== undefined && (typeof days !== 'number' || !(days > 0) || days > 366)) invalid(`"days" must be a number above 0 and at most 366, got ${JSON.stringify(days)}`);
  const n = o['terminals'];
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10_000_000)) invalid(`"terminals" must be a whole number from 1 to 10000000, got ${JSON.stringify(n)}`);
  const seed = o['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) invalid(`"seed" must be a whole number, got ${JSON.stringify(seed)}`);
  if (o['random'] !== undefined && typeof o['random'] !== 'boolean') invalid('"random" must be true or false');
  if (o['faults'] !== undefined && !Array.isArray(o['faults'])) invalid('"faults" must be a list of faults');
}

/** Parses and checks a scenario document (JSON text). Times and terminals are checked later, against the fleet. */
export function parseScenario(text: string): Scenario {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    invalid(`the scenario is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) invalid('the scenario must be a JSON object such as {"days":1,"faults":[…]}');
  const o = doc as Record<string, unknown>;
  checkTop(o);
  const lines = faultLineNumbers(text);
  const faults = ((o['faults'] as unknown[] | undefined) ?? []).map((f, i) => checkFault(f, i, lines));
  return { ...(o as Scenario), faults, faultLines: lines };
}

export { where as faultWhere, invalid as scenarioInvalid };
