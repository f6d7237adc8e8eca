/** An incident's scope as one short line: `carrier=CTCC · region=Chengdu`. */
export function scopeText(scope: Record<string, string | string[]>): string {
  return Object.entries(scope).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : v}`).join(' · ');
}
