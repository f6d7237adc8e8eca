// The optional `tenant` column of a registry file: in JSON, `tenant` on entries of `terminals` and
// `merchants` (and an optional `tenants` list of {tenant, parent, name}); in CSV, a `tenant` column
// beside `terminal` or `merchant`. The registry parser ignores it; this reads it and assigns tenants.
import { readFile } from 'node:fs/promises';
import { parseCsv } from '../domain/index.ts';
import type { Store } from '../store/index.ts';
import { setMerchantTenants, setTerminalTenants, upsertTenant, type Tenant } from './fleet.repository.ts';

export interface TenantColumns {
  tenants: Tenant[];
  terminals: { terminal: string; tenant: string }[];
  merchants: { merchant: string; tenant: string }[];
}

function pick<K extends string>(rows: unknown, key: K): ({ tenant: string } & Record<K, string>)[] {
  if (!Array.isArray(rows)) return [];
  return rows.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    .filter((r) => typeof r[key] === 'string' && typeof r['tenant'] === 'string' && r['tenant'] !== '')
    .map((r) => ({ [key]: r[key] as string, tenant: r['tenant'] as string }) as { tenant: string } & Record<K, string>);
}

/** CSV text into rows keyed by the header's column names. */
function csvRows(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim() !== ''));
  return rows.map((cells) => Object.fromEntries(header.map((h, i) => [h.trim(), (cells[i] ?? '').trim()])));
}

export async function readTenantColumns(files: readonly string[]): Promise<TenantColumns> {
  const out: TenantColumns = { tenants: [], terminals: [], merchants: [] };
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (/^\s*[{[]/.test(text)) {
      const doc = JSON.parse(text) as Record<string, unknown>;
      out.terminals.push(...pick(doc['terminals'], 'terminal'));
      out.merchants.push(...pick(doc['merchants'], 'merchant'));
      const tenants = Array.isArray(doc['tenants']) ? (doc['tenants'] as Record<string, unknown>[]) : [];
      for (const t of tenants) if (typeof t['tenant'] === 'string') out.tenants.push({ tenant: t['tenant'], ...(typeof t['parent'] === 'string' ? { parent: t['parent'] } : {}), ...(typeof t['name'] === 'string' ? { name: t['name'] } : {}) });
      continue;
    }
    const rows = csvRows(text);
    if (rows[0] && 'terminal' in rows[0]) out.terminals.push(...pick(rows, 'terminal'));
    else if (rows[0] && 'merchant' in rows[0]) out.merchants.push(...pick(rows, 'merchant'));
    else if (rows[0] && 'tenant' in rows[0]) out.tenants.push(...rows.map((r) => ({ tenant: r['tenant']!, ...(r['parent'] ? { parent: r['parent'] } : {}), ...(r['name'] ? { name: r['name'] } : {}) })));
  }
  return out;
}

/** Creates the tenants named (unknown ones without a parent) and assigns terminals and merchants. */
export async function assignTenants(store: Store, cols: TenantColumns): Promise<{ tenants: number; terminals: number; merchants: number }> {
  const named = new Map(cols.tenants.map((t) => [t.tenant, t]));
  for (const r of [...cols.terminals, ...cols.merchants]) if (!named.has(r.tenant)) named.set(r.tenant, { tenant: r.tenant });
  for (const t of named.values()) await upsertTenant(store, t);
  await setTerminalTenants(store, cols.terminals);
  await setMerchantTenants(store, cols.merchants);
  return { tenants: named.size, terminals: cols.terminals.length, merchants: cols.merchants.length };
}
