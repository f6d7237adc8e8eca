// Full card numbers (PAN) must never be stored: find one in any string of an event.

const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

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
  if (text.length < 13) return false;
  // Cheap pre-check: at least 13 digits in the string at all.
  let count = 0;
  for (let i = 0; i < text.length && count < 13; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) count++;
  }
  if (count < 13) return false;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    // A whole run of 13-19 digits; longer runs are not card numbers.
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

/** Returns the path of the first string field holding a PAN, or undefined. */
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
      const found = findPan((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}
