// Simulated time: fast RFC 3339 formatting, China local hours, and the time and duration
// syntax of scenario files. Nothing here reads the real clock.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** Shops run on China time (UTC+8). */
export const LOCAL_OFFSET = 8 * HOUR;

let cachedDay = -1;
let cachedPrefix = '';

/** "00".."59": the two-digit fields of a time without a string built per event. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => (n < 10 ? '0' + n : String(n)));

function pad2(n: number): string {
  return TWO_DIGITS[n]!;
}

/** RFC 3339 UTC without fractions, e.g. 2026-11-20T18:00:00Z; caches the date part. */
export function formatTs(ms: number): string {
  const t = Math.floor(ms / 1000) * 1000;
  const day = Math.floor(t / DAY);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY).toISOString().slice(0, 11);
  }
  let s = Math.floor((t - day * DAY) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return cachedPrefix + pad2(h) + ':' + pad2(m) + ':' + pad2(s) + 'Z';
}

/** RFC 3339 in China time with milliseconds, e.g. 2026-11-21T02:00:00.123+08:00 (some vendors send this). */
export function formatLocalTs(ms: number): string {
  const t = Math.floor(ms);
  const milli = ((t % 1000) + 1000) % 1000;
  return formatTs(t + LOCAL_OFFSET).slice(0, 19) + '.' + String(milli).padStart(3, '0') + '+08:00';
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Minutes since local (UTC+8) midnight. */
export function localMinute(ms: number): number {
  const x = (ms + LOCAL_OFFSET) % DAY;
  return Math.floor((x < 0 ? x + DAY : x) / MINUTE);
}

/** Start of the local day containing ms, as UTC ms. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
}

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, min: MINUTE, h: HOUR, d: DAY };

/** "40m", "2h", "1.5d", "90s" → ms; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT[m[2]!]!;
}

const CLOCK_RE = /^(?:d(\d+)\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Scenario times: an RFC 3339 timestamp; "+2h" (after the start); "14:00" (that UTC time on the
 * first day, at or after the start); "d2 14:00" (that UTC time on day 2 of the run).
 */
export function parseScenarioTime(text: string, start: number): number | undefined {
  const t = text.trim();
  if (t.startsWith('+')) {
    const d = parseDuration(t.slice(1));
    return d === undefined ? undefined : start + d;
  }
  const c = CLOCK_RE.exec(t);
  if (c) {
    const day = c[1] === undefined ? 1 : Number(c[1]);
    const h = Number(c[2]);
    const m = Number(c[3]);
    const s = c[4] === undefined ? 0 : Number(c[4]);
    if (day < 1 || h > 23 || m > 59 || s > 59) return undefined;
    const midnight = Math.floor(start / DAY) * DAY;
    let at = midnight + (day - 1) * DAY + h * HOUR + m * MINUTE + s * 1000;
    if (c[1] === undefined && at < start) at += DAY;
    return at;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
