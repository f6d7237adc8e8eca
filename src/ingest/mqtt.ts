// MQTT transport: terminals publish one event per message on posops/v1/<terminal>/events (QoS 1) and
// get commands on posops/v1/<terminal>/commands. Either an embedded aedes broker, or a subscription on
// an external broker (Mosquitto, EMQX). In both, the PUBACK goes out only once the event is durable.
// Bad payloads are refused with a note on posops/v1/<terminal>/rejections; the connection goes on.

import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { Ingestor } from './index.ts';
import { commandsTopic, createMqttIngest, eventsTopic, parseTopic, rejectionsTopic, type MessageOutcome } from './mqtt.events.ts';

export { commandsTopic, eventsTopic, parseTopic, rejectionsTopic } from './mqtt.events.ts';

/** Who connected: structurally the server's Principal (src/server/auth-hook.ts). */
export interface MqttPrincipal {
  kind: string;
  id: string;
  terminal?: string;
}

/** Structurally the server's Authenticator: terminal ID as username, secret as password. */
export interface MqttAuthenticator {
  authenticate(credentials: { username?: string; password?: string }): Promise<MqttPrincipal | undefined>;
}

export interface MqttTransport {
  /** Where terminals connect, e.g. mqtt://127.0.0.1:1884. */
  readonly url: string;
  /** Sends a command to a terminal on posops/v1/<terminal>/commands (QoS 1). */
  publishCommand(terminal: string, command: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface MqttIngestOptions {
  ingestor: Ingestor;
  /** Absent: every client is accepted (development and tests only). */
  authenticator?: MqttAuthenticator;
  /** Called with a short reason for every message refused (metrics). */
  onRefused?: (reason: string) => void;
}

function rejectionNote(outcome: MessageOutcome & { ok: false }): Buffer {
  return Buffer.from(JSON.stringify({ id: outcome.id ?? null, error: outcome.error }));
}

const AUTH_FAILED = Object.assign(new Error('bad terminal ID or secret'), { returnCode: 4 as const });

/** Starts the embedded broker on host:port (port 0: a free one). */
export async function startMqttBroker(opts: MqttIngestOptions & { host: string; port: number }): Promise<MqttTransport> {
  const principals = new WeakMap<Client, MqttPrincipal>();
  let closing = false;
  const ingest = createMqttIngest(opts.ingestor, { isClosing: () => closing });
  // a terminal principal is restricted to its own topics; people/tokens/dev mode are not
  const isTerminal = (client: Client | null) => !!client && principals.get(client)?.kind === 'terminal';
  const allowed = (client: Client | null, terminal: string) => {
    const p = client ? principals.get(client) : undefined;
    return !p || p.kind !== 'terminal' || p.terminal === terminal;
  };

  const broker = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      if (!opts.authenticator) return done(null, true);
      opts.authenticator.authenticate({ username, password: password?.toString('utf8') }).then(
        (principal) => {
          if (!principal) return done(AUTH_FAILED, false);
          principals.set(client, principal);
          done(null, true);
        },
        () => done(AUTH_FAILED, false),
      );
    },
    authorizePublish(client, packet, done) {
      if (packet.topic.startsWith('$SYS')) return done(new Error('$SYS topics are reserved'));
      const topic = parseTopic(packet.topic);
      // a terminal may publish its own events and nothing else
      if (isTerminal(client) && topic?.kind !== 'events') return done(new Error('a terminal may publish only to posops/v1/<its ID>/events'));
      if (!topic) return done(); // other topics pass through untouched
      if (!allowed(client, topic.terminal)) return done(new Error(`may publish under its own terminal ID only, not ${topic.terminal}`));
      if (topic.kind !== 'events' || !client) return done();
      // the PUBACK is written only after done(): ingest first, acknowledge once durable
      ingest.ingestMessage(topic.terminal, packet.payload as Buffer).then(
        (outcome) => {
          if (!outcome.ok) {
            opts.onRefused?.('invalid');
            broker.publish({ cmd: 'publish', topic: rejectionsTopic(topic.terminal), payload: rejectionNote(outcome), qos: 0, retain: false, dup: false }, () => {});
          }
          done();
        },
        (err: Error) => done(err), // not durable: no PUBACK, the connection closes and the client resends
      );
    },
    authorizeSubscribe(client, subscription, done) {
      const topic = parseTopic(subscription.topic);
      const p = principals.get(client);
      // a terminal reads its own commands (and the notes on its rejected events), nothing else
      if (p?.kind === 'terminal' && (!topic || topic.terminal !== p.terminal || (topic.kind !== 'commands' && topic.kind !== 'rejections'))) return done(null, null); // refused in SUBACK
      done(null, subscription);
    },
    // events are for the server only; they are not forwarded to subscribers
    authorizeForward: (_client, packet) => (parseTopic(packet.topic)?.kind === 'events' ? null : packet),
  });

  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.on('error', () => {});
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mqtt://${opts.host}:${port}`,
    publishCommand: (terminal, command) =>
      new Promise<void>((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic: commandsTopic(terminal), payload: Buffer.from(JSON.stringify(command)), qos: 1, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      ),
    async close() {
      closing = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => broker.close(() => resolve()));
    },
  };
}

export interface ExternalBrokerOptions extends MqttIngestOptions {
  url: string;
  /** Client ID prefix; the session is persistent so that events sent while posops was down arrive later. */
  clientId?: string;
  /** Subscribers sharing the load through a shared subscription ($share/posops/…). */
  connections?: number;
  username?: string;
  password?: string;
  /** Shared-subscription group (default 'posops'); instances of one deployment share it. */
  group?: string;
  /** Start without the broker's stored session (default false: events sent while down are kept). */
  clean?: boolean;
}

function connectOnce(opts: ExternalBrokerOptions, clientId: string, ingest: ReturnType<typeof createMqttIngest>): Promise<MqttClient> {
  const client: MqttClient = mqtt.connect(opts.url, {
    clientId,
    // MQTT 5: MQTT.js hands PUBACKs to customHandleAcks only with protocol version 5
    protocolVersion: 5,
    clean: opts.clean ?? false,
    properties: { sessionExpiryInterval: opts.clean ? 0 : 7 * 86_400 },
    username: opts.username,
    password: opts.password,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    // the PUBACK of an event goes out when done() is called, i.e. once it is durable
    customHandleAcks(topic, message, _packet, done) {
      const parsed = parseTopic(topic);
      if (!parsed || parsed.kind !== 'events') return done(0);
      ingest.ingestMessage(parsed.terminal, message).then(
        (outcome) => {
          if (!outcome.ok) {
            opts.onRefused?.('invalid');
            client.publish(rejectionsTopic(parsed.terminal), rejectionNote(outcome), { qos: 0 });
          }
          done(0);
        },
        (err: Error) => done(err),
      );
    },
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => {
      client.subscribe(`$share/${opts.group ?? 'posops'}/${eventsTopic('+')}`, { qos: 1 }, (err) => (err ? reject(err) : resolve(client)));
    });
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Subscribes to the events of every terminal on an external broker and ingests them. */
export async function connectMqttBroker(opts: ExternalBrokerOptions): Promise<MqttTransport> {
  let closing = false;
  const ingest = createMqttIngest(opts.ingestor, { isClosing: () => closing });
  const prefix = opts.clientId ?? 'posops-ingest';
  const count = opts.connections ?? 4;
  const clients = await Promise.all(Array.from({ length: count }, (_, i) => connectOnce(opts, `${prefix}-${i}`, ingest)));
  const first = clients[0]!;
  return {
    url: opts.url,
    publishCommand: async (terminal, command) => {
      await first.publishAsync(commandsTopic(terminal), JSON.stringify(command), { qos: 1 });
    },
    async close() {
      closing = true;
      await Promise.all(clients.map((c) => c.endAsync()));
    },
  };
}
