// `posops import`: loads a fleet registry (JSON or CSV files) into the store, and NDJSON event
// files (gzip too) into the event log of the data folder through the same ingestor as HTTP/MQTT.
import type { Command } from 'commander';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readConfig, type Config } from '../config.ts';
import { csvList, emptyRegistry, parseRegistryJson, readRegistryCsv, type RegistryParse } from '../domain/index.ts';
import { createIngestor, importNdjsonFile, type FileImportResult } from '../ingest/index.ts';
import { openSegmentLog } from '../log/index.ts';
import { bytesProgressBar, fileSizes } from './progress.ts';

interface ImportFlags {
  events?: string[];
  fleet?: string[];
  data?: string;
  databaseUrl?: string;
}

const MAX_LISTED = 50;
const DAY_MS = 24 * 3600 * 1000;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** Lists rejected lines on stderr, at most MAX_LISTED over the whole run. */
class RejectionList {
  private listed = 0;
  private unlisted = 0;

  add(where: string, reason: string): void {
    if (this.listed < MAX_LISTED) {
      err(`${where}: ${reason}`);
      this.listed++;
    } else this.unlisted++;
  }

  skip(n: number): void {
    this.unlisted += n;
  }

  finish(): void {
    if (this.unlisted > 0) err(`… and ${this.unlisted} more rejected (only the first ${MAX_LISTED} are listed)`);
  }
}

function summary(r: Pick<FileImportResult, 'accepted' | 'duplicates' | 'rejected'>): string {
  return `${r.accepted} accepted, ${r.duplicates} duplicates, ${r.rejected} rejected`;
}

/** Imports event files; returns false when a file could not be read or no line was an event. */
async function importEvents(files: string[], config: Config): Promise<boolean> {
  const log = await openSegmentLog(join(config.data, 'log'), { retentionMs: config.retentionDays * DAY_MS });
  const ingestor = await createIngestor({ log, maxQueue: config.maxQueue });
  const sizes = await fileSizes(files);
  const totalBytes = [...sizes.values()].reduce((a, b) => a + b, 0);
  const bar = bytesProgressBar(totalBytes);
  const rejections = new RejectionList();
  const total = { accepted: 0, duplicates: 0, rejected: 0 };
  const lines: string[] = [];
  let unreadable = 0;
  let doneBytes = 0;
  try {
    for (const file of files) {
      try {
        const r = await importNdjsonFile(ingestor, file, { onBytes: (n) => bar.update(file, doneBytes + n), maxReported: MAX_LISTED });
        for (const x of r.rejections) rejections.add(`${file}:${x.line}`, x.error);
        rejections.skip(r.rejected - r.rejections.length);
        total.accepted += r.accepted;
        total.duplicates += r.duplicates;
        total.rejected += r.rejected;
        lines.push(`${file}: ${r.lines} lines, ${summary(r)}`);
      } catch (e) {
        unreadable++;
        err(`posops import: cannot read ${file}: ${(e as Error).message}`);
      }
      doneBytes += sizes.get(file) ?? 0;
    }
  } finally {
    bar.stop();
    await ingestor.close();
    await log.close();
  }
  rejections.finish();
  for (const l of lines) out(l);
  out(`events: ${summary(total)} into ${join(config.data, 'log')} (${(log.bytes() / 1e6).toFixed(1)} MB)`);
  if (total.accepted + total.duplicates === 0 && unreadable === 0) err('posops import: no event could be read from the files given');
  return unreadable === 0 && total.accepted + total.duplicates > 0;
}

/** Reads registry files into one registry: JSON documents, or CSV files whose header tells the list. */
async function readFleet(files: string[]): Promise<{ parse: RegistryParse; unreadable: number }> {
  const parse: RegistryParse = { registry: emptyRegistry(), problems: [] };
  let unreadable = 0;
  for (const file of files) {
    try {
      const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      if (text.trimStart().startsWith('{')) {
        const one = parseRegistryJson(text);
        for (const list of Object.keys(parse.registry) as (keyof typeof parse.registry)[]) {
          (parse.registry[list] as unknown[]).push(...one.registry[list]);
        }
        for (const p of one.problems) err(`${file}: ${p.list}[${p.row}]: ${p.error}`);
        parse.problems.push(...one.problems);
        continue;
      }
      const header = text.slice(0, text.search(/\r?\n|$/));
      const list = csvList(header);
      if (!list) throw new Error('cannot tell which registry list this CSV holds from its header (expected a terminal, merchant, model or start,end column)');
      const before = parse.problems.length;
      readRegistryCsv(list, text, parse);
      for (const p of parse.problems.slice(before)) err(`${file}:${p.row}: ${p.error}`);
    } catch (e) {
      unreadable++;
      err(`posops import: cannot read ${file}: ${(e as Error).message}`);
    }
  }
  return { parse, unreadable };
}

/** Imports registry files into the store; returns false when a file could not be read or held nothing. */
async function importFleet(files: string[], config: Config): Promise<boolean> {
  const { parse, unreadable } = await readFleet(files);
  const r = parse.registry;
  const rows = r.terminals.length + r.merchants.length + r.models.length + r.maintenance.length;
  if (rows === 0) {
    err('posops import: no registry row could be read from the files given');
    return false;
  }
  const { openStore, upsertRegistry } = await import('../store/index.ts');
  const { appendAudit, assignTenants, readTenantColumns } = await import('../auth/index.ts');
  const { CLI_ACTOR } = await import('./users.ts');
  const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.data });
  try {
    const counts = await upsertRegistry(store, r);
    out(
      `registry: ${counts.terminals} terminals, ${counts.merchants} merchants, ${counts.models} models, ${counts.maintenance} maintenance windows` +
        ` into ${store.kind === 'pglite' ? join(config.data, 'pg') : 'PostgreSQL'}; ${parse.problems.length} rows rejected`,
    );
    // The optional `tenant` column of terminals and merchants puts them in an acquirer's or agent's fleet.
    const tenancy = await assignTenants(store, await readTenantColumns(files));
    if (tenancy.terminals + tenancy.merchants > 0) {
      out(`tenants: ${tenancy.tenants}, terminals assigned: ${tenancy.terminals}, merchants assigned: ${tenancy.merchants}`);
    }
    await appendAudit(store, CLI_ACTOR(), { action: 'registry.import', after: { files, ...counts, rejected: parse.problems.length, tenancy } });
  } finally {
    await store.close();
  }
  return unreadable === 0;
}

async function runImport(flags: ImportFlags): Promise<void> {
  const events = flags.events ?? [];
  const fleet = flags.fleet ?? [];
  if (events.length === 0 && fleet.length === 0) throw new Error('import needs --events FILE… and/or --fleet FILE…');
  const config = readConfig({ data: flags.data, databaseUrl: flags.databaseUrl });
  let ok = true;
  if (fleet.length > 0) ok = (await importFleet(fleet, config)) && ok;
  if (events.length > 0) ok = (await importEvents(events, config)) && ok;
  if (!ok) process.exitCode = 1;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('load a fleet registry (JSON, or one CSV per list) into the store, and/or NDJSON event files (.gz too) into the event log')
    .option('--events <files...>', 'NDJSON event files (gzip detected)')
    .option('--fleet <files...>', 'registry: a JSON document, or CSV files (the header tells the list)')
    .option('--data <dir>', 'data folder: event log in <dir>/log, embedded PostgreSQL in <dir>/pg (default ./data, env POSOPS_DATA)')
    .option('--database-url <url>', 'PostgreSQL server for the registry instead of the embedded store (env DATABASE_URL)')
    .action((flags: ImportFlags) => runImport(flags));
}
