// Who owns which terminal: the tenant tree (acquirer → agents → sub-agents) and each terminal's
// tenant (its own, else its merchant's) and merchant. A principal bound to tenant T sees the
// terminals of T's subtree; a merchant login only its merchant's; an unbound admin everything.
import type { Store } from '../store/index.ts';
import { listTenants, listTerminalTenancy, tenancyVersion } from './fleet.repository.ts';

export interface TenancySnapshot {
  readonly parentOf: ReadonlyMap<string, string | undefined>;
  readonly terminalTenant: ReadonlyMap<string, string | undefined>;
  readonly terminalMerchant: ReadonlyMap<string, string | undefined>;
  /** The tenant and every tenant below it. */
  subtree(tenant: string): ReadonlySet<string>;
}

export function buildTenancy(
  tenants: readonly { tenant: string; parent?: string }[],
  terminals: readonly { terminal: string; merchant: string | null; tenant: string | null }[],
): TenancySnapshot {
  const parentOf = new Map(tenants.map((t) => [t.tenant, t.parent]));
  const children = new Map<string, string[]>();
  for (const t of tenants) if (t.parent) children.set(t.parent, [...(children.get(t.parent) ?? []), t.tenant]);
  const terminalTenant = new Map(terminals.map((t) => [t.terminal, t.tenant ?? undefined]));
  const terminalMerchant = new Map(terminals.map((t) => [t.terminal, t.merchant ?? undefined]));
  const subtrees = new Map<string, Set<string>>();
  const subtree = (tenant: string): ReadonlySet<string> => {
    let set = subtrees.get(tenant);
    if (set) return set;
    set = new Set<string>();
    const stack = [tenant];
    while (stack.length) {
      const t = stack.pop()!;
      if (set.has(t)) continue; // a cycle in the tree must not loop
      set.add(t);
      stack.push(...(children.get(t) ?? []));
    }
    subtrees.set(tenant, set);
    return set;
  };
  return { parentOf, terminalTenant, terminalMerchant, subtree };
}

/** What a principal bound to `tenant` / `merchant` may see; undefined: everything. */
export function seesFor(snapshot: TenancySnapshot, bound: { tenant?: string; merchant?: string; role?: string }): ((terminal: string) => boolean) | undefined {
  if (bound.role === 'merchant') {
    const merchant = bound.merchant;
    return (terminal) => merchant !== undefined && snapshot.terminalMerchant.get(terminal) === merchant;
  }
  if (!bound.tenant) return undefined;
  const tenants = snapshot.subtree(bound.tenant);
  return (terminal) => {
    const owner = snapshot.terminalTenant.get(terminal);
    return owner !== undefined && tenants.has(owner);
  };
}

/** Keeps a snapshot current: re-reads it when the store's tenancy fingerprint changed (checked at most every `checkMs`). */
export class Tenancy {
  private snapshot: TenancySnapshot | undefined;
  private version = '';
  private checkedAt = 0;
  private loading: Promise<TenancySnapshot> | undefined;

  constructor(
    private readonly store: Store,
    private readonly checkMs = 2000,
  ) {}

  /** Forces the next current() to re-check (after this process changed tenancy). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  async current(): Promise<TenancySnapshot> {
    if (this.snapshot && Date.now() - this.checkedAt < this.checkMs) return this.snapshot;
    this.loading ??= this.reload().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async reload(): Promise<TenancySnapshot> {
    const version = await tenancyVersion(this.store);
    this.checkedAt = Date.now();
    if (this.snapshot && version === this.version) return this.snapshot;
    const [tenants, terminals] = await Promise.all([listTenants(this.store), listTerminalTenancy(this.store)]);
    this.snapshot = buildTenancy(tenants, terminals);
    this.version = version;
    return this.snapshot;
  }
}
