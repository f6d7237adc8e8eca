import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseRegistryJson, validateLine } from '../../domain/index.ts';
import { createCorrelator } from './index.ts';
const dir = process.argv[2]!;
const c = createCorrelator(parseRegistryJson(readFileSync(dir + '/fleet.json', 'utf8')).registry);
let next = 0; let maxTs = 0;
for await (const line of createInterface({ input: createReadStream(dir + '/events.ndjson') })) {
  const v = validateLine(line); if (!v.ok) continue;
  if (v.event.tsMs > maxTs + 3600_000 * 24 && maxTs) { continue; }
  maxTs = Math.max(maxTs, v.event.tsMs);
  if (!next) next = maxTs + 3600_000;
  if (maxTs >= next) {
    const inc = c.incidents(next);
    console.log(new Date(next).toISOString(), inc.map((i) => `${i.cause} ${JSON.stringify(i.scope)} n=${i.terminals.length} ${i.evidence?.[0]}`).join(' | '));
    next += 3600_000;
  }
  c.observe(v.event);
}
