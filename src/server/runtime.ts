// Starts and stops the server: owns the store, the event log, the ingestor, the engine, the MQTT
// transport and the HTTP listener. createApp() builds; this file opens and closes.

import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { createEngine, type Engine } from '../engine/index.ts';
import { createIngestor, readEvents, type Ingestor } from '../ingest/index.ts';
import { connectMqttBroker, startMqttBroker, type MqttTransport } from '../ingest/mqtt.ts';
import { openSegmentLog, type EventLog } from '../log/index.ts';
import { findTerminal, getKv, loadRegistry, openStore, setKv, type Store } from '../store/index.ts';
import { registerDashboardRoutes, serveWebApp, type Dashboard } from '../dashboard/index.ts';
import { createApp } from './app.ts';
import { createOpenAuthenticator, createTokenAuthenticator, newSecret, type Authenticator } from './auth-hook.ts';
import { createMetrics } from './metrics.ts';

export interface RunningServer {
  /** Base address of the HTTP server, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** Where terminals connect over MQTT. */
  readonly mqttUrl: string;
  /** Set only when this start created the first admin token. */
  readonly createdAdminToken?: string;
  /** The admin bearer token (auth 'token' only), for in-process clients such as the demo fleet. */
  readonly adminToken?: string;
  /** The server key terminal secrets are derived from (auth 'token' only). */
  readonly terminalKey?: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly ingestor: Ingestor;
  readonly engine: Engine;
  readonly mqtt: MqttTransport;
  /** Events replayed from the log into the engine at start. */
  readonly replayed: number;
  /** Re-reads the registry from the store into the engine and the dashboard (after an import). */
  reloadRegistry(): Promise<void>;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Feeds every event of the log into the engine; returns how many. */
async function replayLog(log: EventLog, engine: Engine): Promise<number> {
  let count = 0;
  for await (const { event } of readEvents(log, 0)) {
    engine.observe(event);
    count++;
  }
  return count;
}

async function secretOf(store: Store, key: string): Promise<{ value: string; created: boolean }> {
  const existing = await getKv<string>(store, key);
  if (typeof existing === 'string' && existing.length > 0) return { value: existing, created: false };
  const value = newSecret();
  await setKv(store, key, value);
  return { value, created: true };
}

async function authenticatorFor(config: Config, store: Store) {
  if (config.auth === 'off') return { authenticator: createOpenAuthenticator() as Authenticator };
  const admin = await secretOf(store, 'auth.admin_token');
  const terminalKey = (await secretOf(store, 'auth.terminal_key')).value;
  return {
    authenticator: createTokenAuthenticator({ adminToken: admin.value, terminalKey }),
    createdAdminToken: admin.created ? admin.value : undefined,
    adminToken: admin.value,
    terminalKey,
  };
}

/** Opens everything and starts listening. Resources opened before a failure are closed again. */
export async function startServer(config: Config): Promise<RunningServer> {
  const data = resolve(config.data);
  await mkdir(data, { recursive: true });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    closers.length = 0;
  };
  try {
    const store = await openStore(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: data });
    closers.push(() => store.close());
    const log = await openSegmentLog(join(data, 'log'), { retentionMs: config.retentionDays * DAY_MS });
    closers.push(() => log.close());
    const ingestor = await createIngestor({ log, maxQueue: config.maxQueue });
    closers.push(() => ingestor.close());
    const engine = createEngine({ registry: await loadRegistry(store) });
    const replayed = await replayLog(log, engine);
    ingestor.onEvent((event) => engine.observe(event));

    const auth = await authenticatorFor(config, store);
    const metrics = createMetrics(ingestor, { defaultMetrics: true });
    const mqtt = config.mqttUrl
      ? await connectMqttBroker({ url: config.mqttUrl, ingestor, onRefused: metrics.countMqttRefused })
      : await startMqttBroker({
          host: config.mqttHost,
          port: config.mqttPort,
          ingestor,
          authenticator: config.auth === 'off' ? undefined : auth.authenticator,
          onRefused: metrics.countMqttRefused,
        });
    closers.push(() => mqtt.close());
    let dashboardView: Dashboard | undefined;
    const dashboard = async (app: FastifyInstance) => {
      dashboardView = registerDashboardRoutes(app, {
        diagnosis: () => engine.diagnose(Date.now()),
        registry: () => loadRegistry(store),
        now: Date.now,
        subscribe: (listener) => ingestor.onEvent(() => listener()),
        events: (listener) => ingestor.onEvent(listener),
        kv: { get: (key) => getKv(store, key), set: (key, value) => setKv(store, key, value) },
      });
      await serveWebApp(app);
    };
    const app = createApp({
      config,
      ingestor,
      engine,
      metrics,
      authenticator: auth.authenticator,
      findTerminal: (t) => findTerminal(store, t),
      plugins: [dashboard],
    });
    closers.push(() => app.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    let stopped: Promise<void> | undefined;
    return {
      url: `http://${config.host}:${port}`,
      mqttUrl: mqtt.url,
      createdAdminToken: auth.createdAdminToken,
      adminToken: auth.adminToken,
      terminalKey: auth.terminalKey,
      app,
      store,
      ingestor,
      engine,
      mqtt,
      replayed,
      async reloadRegistry() {
        engine.setRegistry(await loadRegistry(store));
        await dashboardView?.reloadRegistry();
      },
      // stop accepting (HTTP, MQTT), drain the ingest queue, flush and fsync the log, close the store
      stop: () => (stopped ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
