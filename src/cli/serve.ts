// `posops serve`: runs the server with the embedded store and broker unless URLs are given.

import type { Command } from 'commander';
import { CONFIG_OPTIONS, readConfig, type Config } from '../config.ts';
import { isPosopsError } from '../domain/index.ts';
import type { RunningServer } from '../server/index.ts';
import type { Demo } from '../server/demo.ts';

interface ServeFlags {
  port?: string;
  host?: string;
  data?: string;
  databaseUrl?: string;
  mqttPort?: string;
  mqttUrl?: string;
  natsUrl?: string;
  natsStream?: string;
  snapshotMinutes?: string;
  maxBodyBytes?: string;
  maxQueue?: string;
  logLevel?: string;
  auth?: string;
  demo?: boolean;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Where to look and how to send something by hand, for the demo's first minutes. */
function sayDemoGuide(server: RunningServer, demo: Demo, terminal: string): void {
  const token = server.adminToken ?? '<token>';
  const mqtt = new URL(server.mqttUrl);
  const event = (id: string) => `{"v":1,"id":"${id}","type":"boot","terminal":"${terminal}","ts":"'"$(date -u +%FT%TZ)"'","reason":"power_on"}`;
  say('');
  say(`demo: ${demo.terminals} simulated terminals with faults, sending over HTTP; simulated time runs at ${demo.speed}x (${new Date(demo.now()).toISOString()} now)`);
  say(`  open       ${server.url}/   (faults and at least one incident within a minute)`);
  say(`  API token for this run (demo): ${token}`);
  say(`  try        curl -H 'Authorization: Bearer ${token}' ${server.url}/api/v1/diagnosis`);
  say(`             curl -H 'Authorization: Bearer ${token}' ${server.url}/api/v1/incidents`);
  say(`             curl -H 'Authorization: Bearer ${token}' -H 'content-type: application/json' -d '${event('hand-1')}' ${server.url}/api/v1/events`);
  say(`  MQTT       SECRET=$(curl -s -X POST -H 'Authorization: Bearer ${token}' ${server.url}/api/v1/terminals/${terminal}/secret | sed -E 's/.*"secret":"([^"]+)".*/\\1/')`);
  say(`             mosquitto_pub -h ${mqtt.hostname} -p ${mqtt.port} -u ${terminal} -P "$SECRET" -q 1 -t posops/v1/${terminal}/events -m '${event('hand-2')}'`);
}

async function serve(flags: ServeFlags): Promise<void> {
  const config: Config = readConfig({ ...flags, demo: flags.demo ? true : undefined });
  // loaded here so that other commands do not pay for (or depend on) the server's modules
  const { startServer } = await import('../server/index.ts');
  // in demo mode the server diagnoses at the simulated clock (it runs ahead of the wall clock)
  let clock: () => number = Date.now;
  const server = await startServer(config, { now: () => clock() });
  say(`posops is running`);
  say(`  dashboard  ${server.url}/`);
  say(`  API docs   ${server.url}/docs`);
  say(`  MQTT       ${server.mqttUrl}  (topic posops/v1/<terminal>/events)`);
  if (server.createdAdmin) say(`  first admin login: ${server.createdAdmin.username} / ${server.createdAdmin.password}   (shown once, one-time: log in and set your own)`);
  if (config.auth === 'off') say('  authentication is OFF (--auth off): every request is accepted');
  let stopDemo: (() => Promise<void>) | undefined;
  if (config.demo) {
    const { demoClockAtStart, startDemo } = await import('../server/demo.ts');
    const resumeAt = await demoClockAtStart(server);
    if (resumeAt !== undefined) clock = () => resumeAt;
    say('demo: starting the simulated fleet (its last day of history is sent first)…');
    try {
      const demo = await startDemo(server);
      clock = demo.now;
      stopDemo = () => demo.stop();
      sayDemoGuide(server, demo, 'T1000001');
    } catch (err) {
      say(`demo: the simulated fleet could not start (the server runs on without it): ${(err as Error).stack ?? String(err)}`);
    }
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping (draining ingest, flushing the event log)…`);
    void (async () => {
      await stopDemo?.().catch(() => {});
      await server.stop();
      say('stopped');
      process.exit(0);
    })();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** Says which listener could not get its port and which setting moves it, for an EADDRINUSE error. */
function portInUse(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const settings = CONFIG_OPTIONS.filter((o) => o.kind === 'port').map((o) => `${o.flag} (${o.env})`);
  return `port ${e.port ?? '?'} on ${e.address ?? 'this machine'} is already in use (another posops, or another program): stop it, or choose other ports with ${settings.join(' or ')}`;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the server: HTTP API and dashboard, MQTT for terminals, the engine over the event log')
    .option('--port <port>', 'HTTP port (env POSOPS_PORT, default 8080)')
    .option('--host <host>', 'HTTP address (env POSOPS_HOST, default 127.0.0.1)')
    .option('--data <dir>', 'data folder (env POSOPS_DATA, default ./data)')
    .option('--database-url <url>', 'PostgreSQL server instead of embedded PGlite (env DATABASE_URL)')
    .option('--mqtt-port <port>', 'port of the embedded MQTT broker (env POSOPS_MQTT_PORT, default 1884)')
    .option('--mqtt-url <url>', 'external MQTT broker instead of the embedded one (env MQTT_URL)')
    .option('--nats-url <url>', 'NATS JetStream server: the event log goes to JetStream (env NATS_URL)')
    .option('--nats-stream <name>', 'JetStream stream of the event log (env POSOPS_NATS_STREAM, default POSOPS_EVENTS)')
    .option('--snapshot-minutes <n>', 'minutes between engine snapshots (env POSOPS_SNAPSHOT_MINUTES, default 5)')
    .option('--max-body-bytes <n>', 'largest HTTP body (env POSOPS_MAX_BODY_BYTES, default 10 MiB)')
    .option('--max-queue <n>', 'events waiting for the log before 503 (env POSOPS_MAX_QUEUE)')
    .option('--log-level <level>', 'log level (env POSOPS_LOG_LEVEL, default info)')
    .option('--auth <mode>', "'token' (default) or 'off' (tests only) (env POSOPS_AUTH)")
    .option('--demo', 'also run a simulated fleet with faults')
    .action(async (flags: ServeFlags) => {
      try {
        await serve(flags);
      } catch (err) {
        if (isPosopsError(err)) {
          process.stderr.write(`posops serve: ${err.code}: ${err.message}\n`);
          process.exit(1);
        }
        const busy = portInUse(err);
        if (busy) {
          process.stderr.write(`posops serve: ${busy}\n`);
          process.exit(1);
        }
        throw err;
      }
    });
}
