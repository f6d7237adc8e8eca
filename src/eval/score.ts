// Scores a `posops diagnose --format json` output against a sample's truth.json with the
// rules of samples/README.md "Scoring". Pure: takes parsed JSON, returns figures.

export interface Truth {
  at?: string;
  terminals: Record<string, string>;
  incidents: { cause: string; scope: Record<string, unknown>; terminals: string[] }[];
}

export interface CauseScore {
  cause: string;
  truth: number;
  predicted: number;
  correct: number;
  recall: number;
  precision: number;
}

export interface Score {
  accuracy: number;
  /** Accuracy over faulty terminals that are not members of a true incident. */
  accuracyOutsideIncidents: number;
  fpr: number;
  faulty: number;
  healthy: number;
  falsePositives: number;
  perCause: CauseScore[];
  incidentsMatched: number;
  incidentsTotal: number;
  malformed: string[];
  /** [terminal, truth, predicted] for every miss (truth≠prediction, or a false positive). */
  confusions: [string, string, string][];
}

const ALIASES: Record<string, string> = {
  bin_range: 'bin', bin_prefix: 'bin', bins: 'bin', issuer_bin: 'bin', campaign_id: 'campaign', firmware_version: 'firmware',
  version: 'firmware', model_id: 'model', host_id: 'host', carrier_id: 'carrier', region_id: 'region',
};
const REQUIRED: Record<string, string[][]> = {
  'net.carrier_outage': [['carrier', 'region']],
  'net.host_slow': [['host']],
  'provider.maintenance': [['host']],
  'provider.issuer_down': [['bin']],
  'sw.incompatible_update': [['model'], ['campaign'], ['firmware']],
};

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function normScope(scope: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isObj(scope)) return out;
  for (const [k, v] of Object.entries(scope)) {
    const key = ALIASES[k.toLowerCase()] ?? k.toLowerCase();
    if (!out.has(key) || key === k.toLowerCase()) out.set(key, v);
  }
  return out;
}

function binParts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(binParts);
  if (typeof v !== 'string' && typeof v !== 'number') return [];
  return String(v).split(/[,\s]+/).filter(Boolean);
}

function coveredBy(part: string, bin: string): boolean {
  const range = /^(\d+)-(\d+)$/.exec(part);
  if (range) {
    const len = range[1]!.length;
    const b = bin.slice(0, len);
    return b >= range[1]! && b <= range[2]!;
  }
  return bin.startsWith(part);
}

function partInside(part: string, prefix: string): boolean {
  const range = /^(\d+)-(\d+)$/.exec(part);
  if (range) return range[1]!.startsWith(prefix) && range[2]!.startsWith(prefix);
  return /^\d+$/.test(part) && part.startsWith(prefix) && (part.length >= 5 || part === prefix);
}

/** A bin given as a prefix (≥ 5 digits), a range or a list; inside the issuer's range and covering most of its bins. */
export function binAgrees(out: unknown, truthBin: string, truthBins: string[]): boolean {
  const parts = binParts(out);
  if (parts.length === 0) return false;
  if (!parts.every((p) => partInside(p, truthBin) && (/-/.test(p) || p.length >= 5))) return false;
  if (truthBins.length === 0) return true;
  const covered = truthBins.filter((b) => parts.some((p) => coveredBy(p, b))).length;
  return covered / truthBins.length > 0.5;
}

export function scopeAgrees(cause: string, truthScope: Obj, outScope: unknown): boolean {
  const out = normScope(outScope);
  const truth = normScope(truthScope);
  const required = REQUIRED[cause] ?? [];
  if (required.length > 0 && !required.some((dims) => dims.every((d) => out.has(d)))) return false;
  for (const [k, tv] of truth) {
    if (!out.has(k)) continue;
    const ov = out.get(k);
    if (k === 'bin') {
      const bins = Array.isArray(truthScope.bins) ? truthScope.bins.map(String) : [];
      if (!binAgrees(ov, String(tv), bins)) return false;
    } else if (String(ov).toLowerCase() !== String(tv).toLowerCase()) return false;
  }
  return true;
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  const union = sa.size + sb.size - inter;
  return union === 0 ? 1 : inter / union;
}

export { score } from './score.report.ts';
