// Starts and stops the server: owns the store, the event log, the ingestor, the engine, the MQTT
// transport and the HTTP listener. createApp() builds; this file opens and closes.

import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Engine } from '../engine/index.ts';
import { createIngestor, type Ingestor } from '../ingest/index.ts';
import { connectMqttBroker, startMqttBroker, type MqttTransport } from '../ingest/mqtt.ts';
import { findTerminal, getKv, listDiagnosisHistory, loadRegistry, openStore, setKv, type Store } from '../store/index.ts';
import { registerDashboardRoutes, serveWebApp, type Dashboard } from '../dashboard/index.ts';
import { createApp } from './app.ts';
import { authRoutes, createAuth, ensureFirstAdmin, type Auth } from '../auth/index.ts';
import { createOpenAuthenticator, type Authenticator } from './auth-hook.ts';
import { createDiagnosisRecorder, createServerEvents, type ServerEvents } from './diagnosis.recorder.ts';
import { restoreEngine } from './engine.restore.ts';
import { createMetrics } from './metrics.ts';
import { openEventLog, startPersistence, type Persistence } from './persistence.ts';

/** Knobs of startServer that are not user configuration (tests, the demo). */
export interface StartOptions {
  /** The clock diagnoses are made at (default Date.now; the demo uses its simulated clock). */
  now?: () => number;
  /** Milliseconds between diagnosis ticks (history, states, incidents into the store). Default 5000. */
  tickMs?: number;
}

export interface RunningServer {
  /** Base address of the HTTP server, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** Where terminals connect over MQTT. */
  readonly mqttUrl: string;
  /** Set only when this start created the first admin: its login and one-time password. */
  readonly createdAdmin?: { username: string; password: string };
  /** An admin bearer token valid for this process only (in-process clients such as the demo fleet); never stored. */
  readonly adminToken?: string;
  /** Users, tokens, terminal secrets, audit, tamper locks (absent with auth 'off'). */
  readonly auth?: Auth;
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly ingestor: Ingestor;
  readonly engine: Engine;
  readonly mqtt: MqttTransport;
  /** Events replayed from the log into the engine at start (only those after the snapshot when there was one). */
  readonly replayed: number;
  /** The log offset the start-up replay began at (0: no usable snapshot, the whole log). */
  readonly replayedFrom: number;
  /** incident.opened / incident.changed / incident.resolved / diagnosis.changed, after they are in the store. */
  readonly events: ServerEvents;
  /** Writes what changed in the diagnoses to the store now (also runs every few seconds). */
  persistDiagnoses(): Promise<void>;
  /** Stores an engine snapshot now (also runs every --snapshot-minutes and on stop). */
  snapshotEngine(): Promise<void>;
  /** Re-reads the registry from the store into the engine and the dashboard (after an import). */
  reloadRegistry(): Promise<void>;
  stop(): Promise<void>;
}

/** Tells the dashboard whenever a tick changed diagnoses or incidents (it re-reads the diagnosis then). */
function subscribeToChanges(events: ServerEvents, listener: (changes?: readonly unknown[]) => void): () => void {
  const names = ['diagnosis.changed', 'incident.opened', 'incident.changed', 'incident.resolved'] as const;
  const nudge = () => listener();
  for (const name of names) events.on(name, nudge);
  return () => {
    for (const name of names) events.off(name, nudge);
  };
}

async function authenticatorFor(config: Config, store: Store): Promise<{ authenticator: Authenticator; auth?: Auth; createdAdmin?: { username: string; password: string }; adminToken?: string }> {
  if (config.auth === 'off') return { authenticator: createOpenAuthenticator() };
  const auth = await createAuth({ store });
  const createdAdmin = await ensureFirstAdmin(store);
  return { authenticator: auth, auth, createdAdmin, adminToken: auth.processToken };
}

/** Opens everything and starts listening. Resources opened before a failure are closed again. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const now = options.now ?? Date.now;
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
    let persistence: Persistence | undefined;
    // runs after ingest has drained (closers run in reverse): the last diagnoses and snapshot
    closers.push(async () => persistence?.stop());
    const { log, logId } = await openEventLog(config, data);
    closers.push(() => log.close());
    const ingestor = await createIngestor({ log, maxQueue: config.maxQueue });
    closers.push(() => ingestor.close());
    const auth = await authenticatorFor(config, store);
    const restored = await restoreEngine({ store, log, logId, registry: await loadRegistry(store) });
    const rawEngine = restored.engine;
    let covered = restored.next;
    ingestor.onEvent((event, offset) => {
      rawEngine.observe(event);
      covered = offset + 1;
    });
    // persistent tamper locks: a locked terminal stays locked in every diagnosis until an admin unlocks it
    const engine = auth.auth ? auth.auth.tamper.wrap(rawEngine) : rawEngine;
    if (auth.auth) {
      const tamper = auth.auth.tamper;
      ingestor.onEvent((event) => tamper.observe(event));
    }
    const events = createServerEvents();
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
    auth.auth?.setPublishCommand((terminal, command) => mqtt.publishCommand(terminal, command));
    let dashboardView: Dashboard | undefined;
    const dashboard = async (app: FastifyInstance) => {
      dashboardView = registerDashboardRoutes(app, {
        // the fleet as the recorder's last tick left it (live view), before the first tick the full diagnosis
        diagnosis: () => engine.view() ?? engine.diagnose(now()),
        registry: () => loadRegistry(store),
        now,
        subscribe: (listener) => subscribeToChanges(events, listener),
        events: (listener) => ingestor.onEvent(listener),
        log,
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
      history: (q) => listDiagnosisHistory(store, q),
      now,
      plugins: auth.auth ? [authRoutes(auth.auth), dashboard] : [dashboard],
    });
    closers.push(() => app.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const recorder = createDiagnosisRecorder({ store, engine, events, now });
    persistence = startPersistence({
      store, engine: rawEngine, recorder, logId, covered: () => covered, now,
      tickMs: options.tickMs ?? 5000, snapshotMs: config.snapshotMinutes * 60_000, log: app.log,
    });
    let stopped: Promise<void> | undefined;
    return {
      url: `http://${config.host}:${port}`,
      mqttUrl: mqtt.url,
      createdAdmin: auth.createdAdmin,
      adminToken: auth.adminToken,
      auth: auth.auth,
      app,
      store,
      ingestor,
      engine,
      mqtt,
      replayed: restored.replayed,
      replayedFrom: restored.from,
      events,
      persistDiagnoses: () => recorder.tick(),
      snapshotEngine: () => persistence!.snapshot(),
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
