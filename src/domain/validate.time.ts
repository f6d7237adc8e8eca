// RFC 3339 timestamps in the forms devices send, to epoch ms without a regex or Date.parse (the
// scanner's and parseTimestamp's fast path; anything else is left to Date.parse).

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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

