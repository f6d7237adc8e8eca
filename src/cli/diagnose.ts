// posops diagnose: runs the engine over registry + NDJSON event files and prints the
// spec/causes.md report for one moment (--at), as JSON or as a table for a person.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ChunkDigest } from './diagnose.chunk.ts';
import { parseRegistryJson, type DiagnosisReport, type Registry } from '../domain/index.ts';
import { createEngine } from '../engine/index.ts';
import { eventReader } from './diagnose.chunk.ts';
import { KeySet } from './diagnose.keys.ts';
import { readDigests } from './diagnose.read.ts';
import { bytesProgressBar, fileSizes } from './progress.ts';

export interface DiagnoseFilesOptions {
  fleet: string;
  events: string[];
  /** Epoch ms; default: the latest plausible `ts` among the events. */
  at?: number;
  /** Receives warnings for stderr. */
  warn?: (line: string) => void;
  /** Bytes of `file` read so far (for a progress bar). */
  onProgress?: (file: string, bytesRead: number) => void;
  /** Worker threads that parse and validate lines (default: cores - 1 from 3 cores and 4 MB on; else 0 = in-thread). */
  workers?: number;
  /** The scanner fast path before JSON.parse + validation (default true; false only to compare the two). */
  fastPath?: boolean;
  /** Bytes per chunk of lines (default 1 MB; for tests and measurements). */
  chunkBytes?: number;
}

export interface DiagnoseFilesResult {
  report: DiagnosisReport;
  events: number;
  invalid: number;
  duplicates: number;
  afterAt: number;
  unknownTerminals: number;
  /** Event files that could not be read to the end (named in the warnings). */
  unreadable: string[];
}

const MAX_LISTED = 20;

export async function loadRegistryFile(path: string, warn: (l: string) => void): Promise<Registry> {
  const parsed = parseRegistryJson(await readFile(path, 'utf8'));
  for (const p of parsed.problems.slice(0, MAX_LISTED)) warn(`${path}: ${p.list} row ${p.row}: ${p.error}`);
  if (parsed.problems.length > MAX_LISTED) warn(`${path}: … and ${parsed.problems.length - MAX_LISTED} more registry problems`);
  return parsed.registry;
}

export async function diagnoseFiles(opts: DiagnoseFilesOptions): Promise<DiagnosisReport & { stats?: never }> {
  return (await diagnoseFilesWithStats(opts)).report;
}

export async function diagnoseFilesWithStats(opts: DiagnoseFilesOptions): Promise<DiagnoseFilesResult> {
  const warn = opts.warn ?? (() => {});
  const registry = await loadRegistryFile(opts.fleet, warn);
  const known = new Set(registry.terminals.map((t) => t.terminal));
  const engine = createEngine({ registry });
  const seen = new KeySet();
  const unknown = new Set<string>();
  const r = { events: 0, invalid: 0, duplicates: 0, afterAt: 0 };
  const at = opts.at ?? Infinity;
  let latest = -Infinity;
  const foldDigest = (file: string, digest: ChunkDigest, firstLine: number): void => {
    for (const { index, error } of digest.invalid) if (++r.invalid <= MAX_LISTED) warn(`${file}:${firstLine + index}: ${error}`);
    const next = eventReader(digest);
    const keys = digest.keys;
    for (let i = 0; i < keys.length; i++) {
      const e = next();
      if (e.tsMs > at) {
        r.afterAt++;
        continue;
      }
      if (!seen.add(keys[i]!)) {
        r.duplicates++;
        continue;
      }
      if (!known.has(e.terminal)) unknown.add(e.terminal);
      if (e.tsMs > latest) latest = e.tsMs;
      engine.observe(e);
      r.events++;
    }
  };
  const unreadable: string[] = [];
  for (const file of opts.events) {
    const onBytes = opts.onProgress ? (n: number) => opts.onProgress!(file, n) : undefined;
    // a file that cannot be opened, or breaks off (a truncated .gz), is named; the other files, and
    // the lines read before the break, are still diagnosed
    let linesRead = 0;
    try {
      for await (const { digest, firstLine } of readDigests(file, { workers: opts.workers, fastPath: opts.fastPath, chunkBytes: opts.chunkBytes, onBytes })) {
        foldDigest(file, digest, firstLine);
        linesRead = firstLine - 1 + digest.lines;
      }
    } catch (err) {
      warn(`cannot read ${file}${linesRead > 0 ? ` after line ${linesRead} (the lines before it are used)` : ''}: ${(err as Error).message}`);
      unreadable.push(file);
    }
  }
  if (unreadable.length === opts.events.length) throw new Error('no event file could be read');
  if (r.invalid > MAX_LISTED) warn(`… and ${r.invalid - MAX_LISTED} more invalid lines`);
  if (r.invalid > 0) warn(`${r.invalid} invalid line(s) skipped`);
  if (r.duplicates > 0) warn(`${r.duplicates} duplicate event(s) (same terminal and id) counted once`);
  if (r.afterAt > 0) warn(`${r.afterAt} event(s) after --at ignored`);
  if (unknown.size > 0) warn(`${unknown.size} terminal(s) not in the registry; diagnosed anyway`);
  const when = opts.at ?? (Number.isFinite(latest) ? latest : Date.now());
  if (r.events === 0) warn(`no valid events: the registry alone is diagnosed, at ${new Date(when).toISOString()}`);
  return { report: engine.diagnose(when), ...r, unknownTerminals: unknown.size, unreadable };
}

function table(report: DiagnosisReport): string {
  const rows = report.terminals.filter((t) => t.status !== 'ok');
  const lines = [`diagnosis at ${report.at}: ${report.terminals.length} terminals, ${rows.length} with trouble`, ''];
  const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
  lines.push(`${pad('terminal', 12)}${pad('status', 10)}${pad('cause', 24)}${pad('conf', 6)}evidence`);
  for (const t of rows) {
    const d = t.diagnoses[0];
    lines.push(`${pad(t.terminal, 12)}${pad(t.status, 10)}${pad(d?.cause ?? '-', 24)}${pad(d ? d.confidence.toFixed(2) : '-', 6)}${d?.evidence[0] ?? ''}`);
  }
  lines.push('', `incidents: ${report.incidents.length}`);
  for (const i of report.incidents) {
    const scope = Object.entries(i.scope).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(' ');
    lines.push(`  ${i.cause}  ${scope}  ${i.terminals.length} terminals since ${i.since}`);
  }
  return lines.join('\n') + '\n';
}

function parseAt(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--at must be an RFC 3339 time like 2026-11-20T18:00:00Z, got "${value}"`);
  return ms;
}

export function register(program: Command): void {
  program
    .command('diagnose')
    .description('diagnose a fleet from a registry and NDJSON event files')
    .requiredOption('--fleet <file>', 'registry JSON (terminals, merchants, models, maintenance)')
    .requiredOption('--events <files...>', 'NDJSON event files (.gz accepted); repeat for more')
    .option('--at <time>', 'diagnose as of this RFC 3339 time (default: latest ts among the events)')
    .option('--format <format>', 'json or table (default: table on a terminal, json otherwise)')
    .action(async (o: { fleet: string; events: string[]; at?: string; format?: string }) => {
      const format = o.format ?? (process.stdout.isTTY ? 'table' : 'json');
      if (format !== 'json' && format !== 'table') throw new Error(`--format must be json or table, got "${format}"`);
      const at = o.at === undefined ? undefined : parseAt(o.at);
      // a progress bar over the files' bytes on a terminal; warnings wait until it is gone
      const sizes = await fileSizes(o.events);
      const bar = bytesProgressBar([...sizes.values()].reduce((a, b) => a + b, 0));
      const held: string[] = [];
      const warn = (l: string): void => void (process.stderr.isTTY ? held.push(l) : process.stderr.write(`posops diagnose: ${l}\n`));
      let done = 0;
      let current = '';
      const onProgress = (file: string, n: number): void => {
        if (file !== current) {
          done += sizes.get(current) ?? 0;
          current = file;
        }
        bar.update(file, done + n);
      };
      let result: DiagnoseFilesResult;
      try {
        result = await diagnoseFilesWithStats({ fleet: o.fleet, events: o.events, at, warn, onProgress: process.stderr.isTTY ? onProgress : undefined });
      } catch (err) {
        process.stderr.write(`posops diagnose: cannot read the input: ${(err as Error).message}\n`);
        process.exitCode = 2;
        return;
      } finally {
        bar.stop();
        for (const l of held) process.stderr.write(`posops diagnose: ${l}\n`);
      }
      if (result.unreadable.length > 0) process.exitCode = 1; // diagnosed, but not from every file
      const out = format === 'json' ? JSON.stringify(result.report, null, 1) + '\n' : table(result.report);
      await new Promise<void>((resolve) => (process.stdout.write(out) ? resolve() : process.stdout.once('drain', resolve)));
    });
}
