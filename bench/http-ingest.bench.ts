// HTTP ingest throughput: events/s that `posops serve` makes durable from NDJSON batches of 1,000,
// against the floor of the same load generator posting to a trivial HTTP endpoint that only reads
// the body. Server and generator run in separate child processes. BENCH_SECONDS (default 15) per run.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { compareWithFloor, GENERATORS } from './load.ts';
import type { BenchResult } from './run.ts';

const SELF = fileURLToPath(import.meta.url);
const ADDRESS = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//;
const BATCH = 1000;
const IN_FLIGHT = 4;

/** One NDJSON batch of BATCH heartbeats with ids unique to (generator, batch number). */
function batch(tag: string, n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < BATCH; i++) {
    const terminal = `TB${(i % 500).toString(36)}`;
    lines.push(`{"v":1,"id":"${tag}x${n.toString(36)}y${i.toString(36)}","type":"heartbeat","terminal":"${terminal}","ts":"2026-06-04T09:37:49Z","net":{"type":"4g","carrier":"CMCC","rssi_dbm":-66,"host_rtt_ms":65,"dns_ok":true},"battery":{"level_pct":96,"charging":true},"printer":"ok","mem_free_mb":640}`);
  }
  return lines.join('\n') + '\n';
}

/** The load generator (runs in its own process): posts batches for `seconds`, prints the events acknowledged. */
async function generate(url: string, seconds: number): Promise<void> {
  const tag = Math.random().toString(36).slice(2, 8).replace(/\d/g, 'q');
  const end = Date.now() + seconds * 1000;
  let n = 0;
  let events = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const res = await fetch(url, { method: 'POST', body: batch(tag, n++), headers: { 'content-type': 'application/x-ndjson' } });
      const body = (await res.json()) as { accepted?: number };
      if (res.status === 200) events += body.accepted ?? 0;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  process.stdout.write(JSON.stringify({ events, seconds: (performance.now() - t0) / 1000 }) + '\n');
}

/** The floor: an endpoint that reads the body and answers with its line count. */
function floorServer(): void {
  const server = createServer((req, res) => {
    let lines = 0;
    req.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: lines, duplicates: 0, rejected: [] })));
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`dashboard  http://127.0.0.1:${(server.address() as { port: number }).port}/\n`));
}

export async function run(): Promise<BenchResult[]> {
  return compareWithFloor({
    script: SELF,
    floorMode: '--floor-server',
    address: ADDRESS,
    target: (a) => `${a}/api/v1/events`,
    name: (seconds) => `HTTP NDJSON ingest, batches of ${BATCH}, ${GENERATORS} generators x ${IN_FLIGHT} in flight, ${seconds} s`,
    note: 'floor: same generator against an endpoint that only reads the body; target 50,000 events/s',
  });
}

const mode = process.argv[2];
if (process.argv[1] === SELF && mode === '--generate') await generate(process.argv[3]!, Number(process.argv[4]));
if (process.argv[1] === SELF && mode === '--floor-server') floorServer();
