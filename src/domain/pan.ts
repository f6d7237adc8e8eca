// Full card numbers (PAN) must never be stored: find one in any string of an event.

const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
/** Thirteen digits in a row (spaces or dashes between them allowed): the least a card number has. */
export const LONG_DIGIT_RUN = /\d(?:[ -]?\d){12}/;

const isRunChar = (c: number): boolean => (c >= 48 && c <= 57) || c === 32 || c === 45;

/** LONG_DIGIT_RUN over text[start, end), all digits, spaces or dashes. */
function runOf13(text: string, start: number, end: number): boolean {
  let run = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run >= 13) return true;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (run > 0 && i + 1 < end && next >= 48 && next <= 57) continue; // one space or dash between two digits
    run = 0;
  }
  return false;
}

/**
 * Same answer as LONG_DIGIT_RUN.test(text), without a regex walk over every character: such a
 * run spans at least 13 characters, so it covers one of every 13th position; only the stretches
 * of digits, spaces and dashes found there are looked at.
 */
export function hasLongDigitRun(text: string): boolean {
  const n = text.length;
  for (let j = 12; j < n; j += 13) {
    if (!isRunChar(text.charCodeAt(j))) continue;
    let start = j;
    while (start > 0 && isRunChar(text.charCodeAt(start - 1))) start--;
    let end = j + 1;
    while (end < n && isRunChar(text.charCodeAt(end))) end++;
    if (end - start >= 13 && runOf13(text, start, end)) return true;
    j = end - 1; // text[end] is not part of a run: the next stretch starts after it
  }
  return false;
}

/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** True when the text holds a 13-19 digit Luhn-valid number (spaces or dashes between digits allowed). */
export function containsPan(text: string): boolean {
  if (text.length < 13 || !hasLongDigitRun(text)) return false;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    // A whole run of 13-19 digits; longer runs are not card numbers.
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

/**
 * Returns the path of the first string field holding a PAN, or undefined.
 * The envelope's `id` is left out: it is the device's own identifier (often a millisecond timestamp,
 * 13 digits, one in ten of which passes the Luhn check), never free text about a card.
 */
export function findPan(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return containsPan(value) ? path || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findPan(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const key in value) {
      if (path === '' && key === 'id') continue;
      const found = findPan((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}
