// Builds the fleet itself from a seed: merchants with their shops and terminals, and the registry
// (terminals, merchants, models, maintenance) that an acquirer would hold about them.
import type { Registry, RegistryMerchant, RegistryTerminal } from '../domain/index.ts';
import { DAY, formatDate } from './clock.ts';
import { unreachedLimit } from './plan.limit.ts';
import { Rng } from './random.ts';
import type { Bearer, TerminalProfile } from './types.ts';
import { CARRIERS, HOSTS, MODELS, REGIONS, REGION_ZH, SHOP_TYPES, STREETS, SURNAMES, THIRD_PARTY_APPS, type ModelSpec, type ShopType } from './world.ts';

export interface BuiltFleet {
  profiles: TerminalProfile[];
  registry: Registry;
}

function weightedOf<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  return rng.weighted(items.map((x) => [x, x.weight] as const));
}

function pickBearer(rng: Rng, model: ModelSpec): Bearer {
  if (model.handheld) return rng.weighted([['4g', 72], ['wifi', 28]] as const);
  return rng.weighted([['ethernet', 55], ['4g', 30], ['wifi', 15]] as const);
}

/** Current versions: mostly the newest, some one behind, never below the model's minimum. */
function pickVersion(rng: Rng, versions: readonly string[]): string {
  const n = versions.length;
  return rng.chance(0.7) ? versions[n - 1]! : versions[n - 2]!;
}

function openingHours(rng: Rng, shop: ShopType): { openMin: number; closeMin: number } {
  if (shop.open[0] === 0 && shop.close[0] === 24) return { openMin: 0, closeMin: 1440 };
  if (shop.kind === '便利店' && rng.chance(0.3)) return { openMin: 0, closeMin: 1440 };
  const openMin = rng.int(shop.open[0] * 2, shop.open[1] * 2) * 30;
  const closeMin = Math.min(1440, rng.int(shop.close[0] * 2, shop.close[1] * 2) * 30);
  return { openMin, closeMin };
}

function merchantName(rng: Rng, region: string, shop: ShopType): string {
  const city = REGION_ZH[region] ?? region;
  const branch = rng.chance(0.5) ? `(${rng.pick(STREETS)}店)` : '';
  return `${city}${rng.pick(SURNAMES)}${shop.kind}${branch}`;
}

function terminalsPerMerchant(rng: Rng): number {
  return rng.weighted([[1, 55], [2, 24], [3, 12], [4, 5], [5, 3], [6, 1]] as const);
}

function buildProfile(rng: Rng, i: number, prefix: string, merchant: string, shop: ShopType, region: (typeof REGIONS)[number],
  hours: { openMin: number; closeMin: number }, nightOff: boolean, host: (typeof HOSTS)[number], operators: string[]): TerminalProfile {
  const model = weightedOf(rng, MODELS);
  const apps = model.android ? rng.shuffle([...THIRD_PARTY_APPS]).slice(0, rng.weighted([[0, 25], [1, 30], [2, 25], [3, 12], [4, 8]] as const)).sort() : [];
  return {
    index: i,
    id: `${prefix}${1000001 + i}`,
    merchant,
    shop,
    model,
    region,
    carrier: weightedOf(rng, CARRIERS),
    bearer: pickBearer(rng, model),
    host,
    openMin: hours.openMin,
    closeMin: hours.closeMin,
    nightOff,
    operators,
    rate: shop.rate * rng.range(0.5, 1.6),
    firmware: pickVersion(rng, model.firmware),
    app: pickVersion(rng, model.app),
    apps,
    clockOffsetMs: rng.chance(0.06) ? Math.round(rng.range(2, 120) * 1000) * (rng.chance(0.5) ? 1 : -1) : 0,
    longBin: model.vendor === 'PAX' || model.vendor === 'Verifone',
    seed: Math.floor(rng.next() * 4294967296),
  };
}

function registryTerminal(rng: Rng, p: TerminalProfile, start: number, end: number): RegistryTerminal {
  const soon = rng.chance(0.04);
  return {
    terminal: p.id,
    merchant: p.merchant,
    model: p.model.model,
    region: p.region.name,
    carrier: p.carrier.name,
    sim_expires: formatDate(end + (soon ? rng.int(3, 28) : rng.int(30, 900)) * DAY),
    lease_expires: formatDate(end + rng.int(20, 1000) * DAY),
    installed: formatDate(start - rng.int(20, 1300) * DAY),
    host: p.host.host,
  };
}

/** Builds `count` terminals grouped under merchants. Terminal IDs are `${prefix}${1000001 + i}`. */
export function buildFleet(seed: number, count: number, start: number, end: number, prefix = 'T'): BuiltFleet {
  const rng = new Rng(seed ^ 0x5eed);
  const profiles: TerminalProfile[] = [];
  const terminals: RegistryTerminal[] = [];
  const merchants: RegistryMerchant[] = [];
  while (profiles.length < count) {
    const shop = weightedOf(rng, SHOP_TYPES);
    const region = weightedOf(rng, REGIONS);
    const hours = openingHours(rng, shop);
    const nightOff = hours.closeMin - hours.openMin < 1440 && rng.chance(0.6);
    const host = weightedOf(rng, HOSTS);
    const merchant = `M${10001 + merchants.length}`;
    const operators = Array.from({ length: rng.int(1, 5) }, (_, k) => String(k + 1).padStart(2, '0'));
    const n = Math.min(terminalsPerMerchant(rng), count - profiles.length);
    const row: RegistryMerchant = {
      merchant,
      name: merchantName(rng, region.name, shop),
      fee_rate: rng.pick([0.0038, 0.006, 0.0125]),
      daily_limit: rng.int(30, 80) * 100_000,
    };
    merchants.push(row);
    const own: TerminalProfile[] = [];
    for (let k = 0; k < n; k++) {
      const p = buildProfile(rng, profiles.length, prefix, merchant, shop, region, hours, nightOff, host, operators);
      own.push(p);
      profiles.push(p);
      terminals.push(registryTerminal(rng, p, start, end));
    }
    // only a limit fault lowers it (plan.limit.ts)
    row.daily_limit = unreachedLimit(row.daily_limit ?? 0, own, start);
  }
  const models = MODELS.map((m) => ({ model: m.model, vendor: m.vendor, min_firmware: m.minFirmware, min_app: m.minApp }));
  return { profiles, registry: { terminals, merchants, models, maintenance: [] } };
}
