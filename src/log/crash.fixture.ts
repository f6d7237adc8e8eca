// Child process for crash.test.ts: appends numbered records as fast as it can, from several
// concurrent writers, and prints `ack <offset> <first id> <count>` once each append is durable.
// The test kills it with SIGKILL in the middle and checks the log afterwards.
import { openSegmentLog } from './index.ts';

const [dir, startArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: crash.fixture.ts DIR [FIRST_ID]');
const log = await openSegmentLog(dir, { segmentBytes: 256 * 1024 });
let nextId = Number(startArg ?? 0);
const pad = 'x'.repeat(900);

async function writer(): Promise<void> {
  for (;;) {
    const count = 1 + (nextId % 17);
    const first = nextId;
    nextId += count;
    const records = Array.from({ length: count }, (_, k) => JSON.stringify({ id: first + k, pad }));
    const offset = log.nextOffset();
    await log.append(records);
    process.stdout.write(`ack ${offset} ${first} ${count}\n`);
  }
}

process.stdout.write(`ready ${log.nextOffset()}\n`);
await Promise.all([writer(), writer(), writer(), writer()]);
