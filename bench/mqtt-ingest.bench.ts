// MQTT ingest throughput: events/s that `posops serve`'s embedded broker acknowledges (PUBACK after
// the event is durable), one event per QoS 1 message over several connections, against the floor of
// the same generator publishing to a plain aedes broker with no ingest. Separate child processes.
// BENCH_SECONDS (default 15) per run.
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { compareWithFloor, GENERATORS } from './load.ts';
import type { BenchResult } from './run.ts';

const SELF = fileURLToPath(import.meta.url);
const ADDRESS = /MQTT\s+(mqtt:\/\/127\.0\.0\.1:\d+)/;
const CONNECTIONS = 8;
const WINDOW = 100; // QoS 1 messages in flight per connection

function event(terminal: string, id: string): string {
  return `{"v":1,"id":"${id}","type":"heartbeat","terminal":"${terminal}","ts":"2026-06-04T09:37:49Z","net":{"type":"4g","carrier":"CMCC","rssi_dbm":-66,"host_rtt_ms":65,"dns_ok":true},"battery":{"level_pct":96,"charging":true},"printer":"ok","mem_free_mb":640}`;
}

/** One connection publishing with a window of WINDOW unacknowledged messages until `end`. */
async function connection(url: string, index: number, tag: string, end: number): Promise<number> {
  const client = await mqtt.connectAsync(url, { clientId: `bench-${tag}-${index}`, reconnectPeriod: 0 });
  const terminal = `TM${tag}c${index}`;
  const topic = `posops/v1/${terminal}/events`;
  let acked = 0;
  let n = 0;
  const lane = async () => {
    while (Date.now() < end) {
      await client.publishAsync(topic, event(terminal, `${tag}x${(n++).toString(36)}`), { qos: 1 });
      acked++;
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, lane));
  await client.endAsync();
  return acked;
}

async function generate(url: string, seconds: number): Promise<void> {
  const tag = Math.random().toString(36).slice(2, 8).replace(/\d/g, 'q');
  const t0 = performance.now();
  const end = Date.now() + seconds * 1000;
  const counts = await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => connection(url, i, tag, end)));
  process.stdout.write(JSON.stringify({ events: counts.reduce((a, b) => a + b, 0), seconds: (performance.now() - t0) / 1000 }) + '\n');
}

/** The floor: aedes with its defaults, acknowledging without any ingest. */
async function floorBroker(): Promise<void> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  server.listen(0, '127.0.0.1', () => process.stdout.write(`MQTT       mqtt://127.0.0.1:${(server.address() as AddressInfo).port}\n`));
}

export async function run(): Promise<BenchResult[]> {
  return compareWithFloor({
    script: SELF,
    floorMode: '--floor-broker',
    address: ADDRESS,
    name: (seconds) => `MQTT QoS 1, one event per message, ${GENERATORS} generators x ${CONNECTIONS} connections x ${WINDOW} in flight, ${seconds} s`,
    note: 'floor: same generator against plain aedes without ingest; target 20,000 events/s',
  });
}

const mode = process.argv[2];
if (process.argv[1] === SELF && mode === '--generate') await generate(process.argv[3]!, Number(process.argv[4]));
if (process.argv[1] === SELF && mode === '--floor-broker') await floorBroker();
