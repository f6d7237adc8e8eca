// node --import tsx scripts/eval-moments.ts [--verbose] [--hours 4,8,12,16]
// Generalisation check over the time of day: the public samples end while every shop is open;
// this scores the diagnosis on each sample as of earlier moments (4, 8, 12, 16 hours before its
// `at`: afternoon, morning opening, night). The truth there is derived from the sample's own:
// a fault counts from its `since`, an incident from its `since` (its members are ok before it),
// and terminals with a transient trouble ending within 6 hours of the moment are left out (when
// it began is not known). Faults that ended before `at` are not known either, so a diagnosis of a
// fault that was real then can show as a false positive: read the confusions, not only the score.
// Cut sets are written once into /tmp/posops-moments/<sample>-<hours>h and reused.
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { diagnoseFilesWithStats } from '../src/cli/diagnose.ts';
import { score, type Truth } from '../src/eval/score.ts';

const SAMPLES = '/work/shared/samples';
const CACHE = '/tmp/posops-moments';
const TRANSIENT_MARGIN_MS = 6 * 3_600_000;

interface SampleTruth extends Truth {
  incidents: (Truth['incidents'][number] & { since: string })[];
  faults?: Record<string, { cause: string; since: string }>;
  transients?: { terminal: string; until: string }[];
}

/** The truth as of `atMs`, derived from the truth at the sample's end. */
export function truthAt(t: SampleTruth, atMs: number): SampleTruth {
  const terminals: Record<string, string> = {};
  for (const id of Object.keys(t.terminals)) {
    const f = t.faults?.[id];
    terminals[id] = f && Date.parse(f.since) <= atMs ? f.cause : 'ok';
  }
  const incidents = t.incidents.filter((i) => Date.parse(i.since) <= atMs);
  for (const i of t.incidents) if (Date.parse(i.since) > atMs) for (const id of i.terminals) terminals[id] = 'ok';
  for (const x of t.transients ?? []) if (Date.parse(x.until) > atMs - TRANSIENT_MARGIN_MS) delete terminals[x.terminal];
  const faults = Object.fromEntries(Object.entries(t.faults ?? {}).filter(([, f]) => Date.parse(f.since) <= atMs));
  return { ...t, at: new Date(atMs).toISOString(), terminals, incidents, faults };
}

async function cut(sample: string, hours: number): Promise<string> {
  const dir = join(CACHE, `${sample}-${hours}h`);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  const src = join(SAMPLES, sample);
  const truth = JSON.parse(await readFile(join(src, 'truth.json'), 'utf8')) as SampleTruth;
  if (!truth.at) throw new Error(`${src}/truth.json has no "at"`);
  const atMs = Date.parse(truth.at) - hours * 3_600_000;
  await mkdir(dir, { recursive: true });
  const kept: string[] = [];
  for await (const line of createInterface({ input: createReadStream(join(src, 'events.ndjson')) })) {
    const ts = /"ts":"([^"]+)"/.exec(line)?.[1];
    if (ts && Date.parse(ts) <= atMs) kept.push(line);
  }
  await writeFile(join(dir, 'events.ndjson'), kept.join('\n') + '\n');
  await writeFile(join(dir, 'fleet.json'), await readFile(join(src, 'fleet.json')));
  await writeFile(join(dir, 'truth.json'), JSON.stringify(truthAt(truth, atMs)));
  return dir;
}

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const hoursArg = args[args.indexOf('--hours') + 1];
const hours = args.includes('--hours') && hoursArg ? hoursArg.split(',').map(Number) : [4, 8, 12, 16];
const f2 = (x: number): string => x.toFixed(2);
const china = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);

for (const sample of ['small', 'medium']) {
  if (!existsSync(join(SAMPLES, sample, 'truth.json'))) continue;
  for (const h of hours) {
    const dir = await cut(sample, h);
    const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as SampleTruth;
    const run = await diagnoseFilesWithStats({ fleet: join(dir, 'fleet.json'), events: [join(dir, 'events.ndjson')], at: Date.parse(truth.at!) });
    const s = score(truth, JSON.parse(JSON.stringify(run.report)));
    console.log(`${`${sample} -${h}h`.padEnd(14)} ${china(truth.at!)} China time  accuracy=${f2(s.accuracy)} fpr=${f2(s.fpr)} incidents=${s.incidentsMatched}/${s.incidentsTotal}  (faulty ${s.faulty})`);
    if (verbose) for (const [t, want, got] of s.confusions) console.log(`    ${t}  ${want.padEnd(24)} -> ${got}`);
  }
}
