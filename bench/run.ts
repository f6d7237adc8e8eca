// Runs every bench/*.bench.ts one after another and prints one table.
// A bench file exports `async function run(): Promise<BenchResult[]>`; figures are ratios against a
// floor measured in the same run (see bench/README.md), not timed tests.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The floor measured in the same run (same unit), when the figure is compared with one. */
  floor?: number;
  /** value / floor (or as the bench defines it). */
  ratio?: number;
  note?: string;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(3)).toString();
}

function table(rows: (BenchResult & { file: string })[]): string {
  const head = ['bench', 'name', 'value', 'unit', 'floor', 'ratio', 'note'];
  const cells = rows.map((r) => [r.file, r.name, format(r.value), r.unit, r.floor === undefined ? '' : format(r.floor), r.ratio === undefined ? '' : r.ratio.toFixed(2), r.note ?? '']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 2 || i === 4 || i === 5 ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
const rows: (BenchResult & { file: string })[] = [];
let failed = false;
for (const file of files) {
  const started = Date.now();
  process.stderr.write(`running ${file} …\n`);
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<BenchResult[]> };
    if (typeof mod.run !== 'function') throw new Error('it exports no run() function');
    for (const r of await mod.run()) rows.push({ ...r, file: file.replace(/\.bench\.ts$/, '') });
  } catch (err) {
    failed = true;
    process.stderr.write(`${file} failed: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.stderr.write(`  ${file} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`${table(rows)}\n`);
if (failed) process.exitCode = 1;
