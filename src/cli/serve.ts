// `posops serve`: runs the server with the embedded store and broker unless URLs are given.

import type { Command } from 'commander';
import { readConfig, type Config } from '../config.ts';
import { isPosopsError } from '../domain/index.ts';
import type { RunningServer } from '../server/index.ts';

interface ServeFlags {
  port?: string;
  host?: string;
  data?: string;
  databaseUrl?: string;
  mqttPort?: string;
  mqttUrl?: string;
  natsUrl?: string;
  maxBodyBytes?: string;
  maxQueue?: string;
  logLevel?: string;
  auth?: string;
  demo?: boolean;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The demo: a simulated fleet of 300 terminals with faults (src/sim), its registry loaded into the
 * store and the engine, driven live into this server over HTTP at 60 simulated seconds per second.
 */
async function startDemo(server: RunningServer): Promise<(() => Promise<void>) | undefined> {
  let sim: typeof import('../sim/index.ts');
  try {
    sim = await import('../sim/index.ts');
  } catch (err) {
    say(`demo: the simulated fleet is not available: ${(err as Error).message}`);
    return undefined;
  }
  try {
    const { upsertRegistry } = await import('../store/index.ts');
    const fleet = sim.generateFleet({ terminals: 300, seed: 1, days: 2 });
    await upsertRegistry(server.store, fleet.registry);
    await server.reloadRegistry();
    const live = await sim.startLiveFleet({ fleet, target: { http: { url: server.url, auth: server.adminToken } }, speed: 60 });
    say(`demo: ${fleet.registry.terminals.length} simulated terminals with faults, sending over HTTP at 60x speed`);
    return () => live.stop();
  } catch (err) {
    say(`demo: the simulated fleet could not start (the server runs on without it): ${(err as Error).message}`);
    return undefined;
  }
}

async function serve(flags: ServeFlags): Promise<void> {
  const config: Config = readConfig({ ...flags, demo: flags.demo ? true : undefined });
  // loaded here so that other commands do not pay for (or depend on) the server's modules
  const { startServer } = await import('../server/index.ts');
  const server = await startServer(config);
  say(`posops is running`);
  say(`  dashboard  ${server.url}/`);
  say(`  API docs   ${server.url}/docs`);
  say(`  MQTT       ${server.mqttUrl}  (topic posops/v1/<terminal>/events)`);
  if (server.createdAdmin) say(`  first admin login: ${server.createdAdmin.username} / ${server.createdAdmin.password}   (shown once; POST /api/v1/auth/login, then change it)`);
  if (config.auth === 'off') say('  authentication is OFF (--auth off): every request is accepted');
  const stopDemo = config.demo ? await startDemo(server) : undefined;

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
    .option('--nats-url <url>', 'NATS JetStream server (env NATS_URL)')
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
        throw err;
      }
    });
}
