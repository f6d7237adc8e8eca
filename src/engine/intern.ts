// Interning of repeated strings (versions, app lists, operators, bins) so a million
// terminals share one copy of each.

const pool = new Map<string, string>();

export function intern(s: string): string {
  const hit = pool.get(s);
  if (hit !== undefined) return hit;
  if (pool.size < 1_000_000) pool.set(s, s);
  return s;
}
