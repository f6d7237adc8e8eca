// npm run eval -- <sampleDir> [--verbose]: runs the diagnosis over <dir>/fleet.json and
// <dir>/events.ndjson in-process, scores it against <dir>/truth.json (samples/README.md
// "Scoring") and ends with `accuracy=0.xx fpr=0.xx incidents=k/n`. Exit 1 on malformed output.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnoseFilesWithStats } from '../src/cli/diagnose.ts';
import { score, type Truth } from '../src/eval/score.ts';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose') || args.includes('-v');
const dir = args.find((a) => !a.startsWith('-'));
if (!dir) {
  console.error('usage: npm run eval -- <sampleDir> [--verbose]');
  process.exit(2);
}
const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as Truth;
const started = performance.now();
const run = await diagnoseFilesWithStats({
  fleet: join(dir, 'fleet.json'), events: [join(dir, 'events.ndjson')],
  at: truth.at ? Date.parse(truth.at) : undefined, warn: (l) => verbose && console.error(l),
});
const seconds = (performance.now() - started) / 1000;
const output: unknown = JSON.parse(JSON.stringify(run.report));
const s = score(truth, output);
const f2 = (x: number): string => x.toFixed(2);

console.log(`${run.events} events in ${seconds.toFixed(1)} s (${Math.round(run.events / seconds)} events/s)`);
console.log(`faulty ${s.faulty}, healthy ${s.healthy}, false positives ${s.falsePositives}`);
console.log(`accuracy outside incidents ${f2(s.accuracyOutsideIncidents)}`);
console.log('\ncause                      truth pred  ok  recall precision');
for (const c of s.perCause) {
  console.log(`${c.cause.padEnd(26)} ${String(c.truth).padStart(5)} ${String(c.predicted).padStart(4)} ${String(c.correct).padStart(3)}  ${f2(c.recall).padStart(6)} ${f2(c.precision).padStart(9)}`);
}
if (verbose) {
  console.log('\nconfusions (terminal, truth, predicted):');
  for (const [t, want, got] of s.confusions) console.log(`  ${t}  ${want.padEnd(24)} -> ${got}`);
}
for (const m of s.malformed.slice(0, 20)) console.error(`malformed: ${m}`);
console.log(`\naccuracy=${f2(s.accuracy)} fpr=${f2(s.fpr)} incidents=${s.incidentsMatched}/${s.incidentsTotal}`);
if (s.malformed.length > 0) process.exit(1);
