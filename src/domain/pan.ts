// Full card numbers (PAN) must never be stored: find one in any string of an event.

const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
/** Thirteen digits in a row (spaces or dashes between them allowed): the least a card number has. */
export const LONG_DIGIT_RUN = /\d(?:[ -]?\d){12}/;

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
  if (text.length < 13 || !LONG_DIGIT_RUN.test(text)) return false;
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
