// HTTP ingest throughput: events/s that `posops serve` makes durable from NDJSON batches of 1,000,
// against the floor of the same load generator posting to a trivial HTTP endpoint that only reads
// the body. Server and generator run in separate child processes. BENCH_SECONDS (default 15) per run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './run.ts';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
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

function child(args: string[]): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  return { proc, output: () => out, exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
}

async function addressOf(c: ReturnType<typeof child>): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = /dashboard\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(c.output());
    if (m) return m[1]!;
    if (Date.now() > deadline || c.proc.exitCode !== null) throw new Error(`server did not start:\n${c.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Load generator processes run side by side (BENCH_GENERATORS, default 2): one process of fetch() cannot saturate the server. */
const GENERATORS = Number(process.env['BENCH_GENERATORS'] ?? 2);

async function measure(url: string, seconds: number): Promise<number> {
  const gens = Array.from({ length: GENERATORS }, () => child(['--import', 'tsx', SELF, '--generate', url, String(seconds)]));
  let events = 0;
  let took = 0;
  for (const gen of gens) {
    if ((await gen.exited) !== 0) throw new Error(`load generator failed:\n${gen.output()}`);
    const r = JSON.parse(gen.output().trim().split('\n').pop()!) as { events: number; seconds: number };
    events += r.events;
    took = Math.max(took, r.seconds);
  }
  return events / took;
}

export async function run(): Promise<BenchResult[]> {
  const seconds = Number(process.env['BENCH_SECONDS'] ?? 15);
  const data = await mkdtemp(join(tmpdir(), 'posops-bench-http-'));
  const floorProc = child(['--import', 'tsx', SELF, '--floor-server']);
  const server = child(['bin/posops.js', 'serve', '--data', data, '--port', '0', '--mqtt-port', '0', '--auth', 'off', '--log-level', 'warn']);
  try {
    const floor = await measure(`${await addressOf(floorProc)}/api/v1/events`, seconds);
    floorProc.proc.kill();
    const value = await measure(`${await addressOf(server)}/api/v1/events`, seconds);
    return [
      {
        name: `HTTP NDJSON ingest, batches of ${BATCH}, ${GENERATORS} generators x ${IN_FLIGHT} in flight, ${seconds} s`,
        value,
        unit: 'events/s',
        floor,
        ratio: value / floor,
        note: 'floor: same generator against an endpoint that only reads the body; target 50,000 events/s',
      },
    ];
  } finally {
    floorProc.proc.kill();
    server.proc.kill('SIGTERM');
    await server.exited;
    await rm(data, { recursive: true, force: true });
  }
}

const mode = process.argv[2];
if (process.argv[1] === SELF && mode === '--generate') await generate(process.argv[3]!, Number(process.argv[4]));
if (process.argv[1] === SELF && mode === '--floor-server') floorServer();
