// MQTT side of live mode: one connection per terminal (username = terminal ID, password = its
// secret), events published QoS 1 to posops/v1/<terminal>/events, commands received on
// posops/v1/<terminal>/commands and acknowledged on posops/v1/<terminal>/acks.
import mqtt, { type MqttClient } from 'mqtt';

export interface LiveCommand {
  id: string;
  command: string;
  args?: Record<string, unknown>;
}

export interface MqttFleet {
  /** Publishes each line on its terminal's connection; resolves with how many the broker took. */
  publish(items: { terminal: string; line: string }[]): Promise<number>;
  close(): Promise<void>;
}

type CommandHandler = (terminal: string, cmd: { command: string; args: Record<string, unknown> }) => 'done' | 'failed';

const CONNECT_BATCH = 50;
const PUBLISH_BATCH = 5000;

function parseCommand(payload: Buffer): LiveCommand | undefined {
  try {
    const x = JSON.parse(payload.toString('utf8')) as unknown;
    if (typeof x !== 'object' || x === null) return undefined;
    const c = x as Record<string, unknown>;
    if (typeof c['command'] !== 'string') return undefined;
    const args = typeof c['args'] === 'object' && c['args'] !== null ? (c['args'] as Record<string, unknown>) : {};
    return { id: typeof c['id'] === 'string' ? c['id'] : String(c['id'] ?? ''), command: c['command'], args };
  } catch {
    return undefined;
  }
}

async function connectOne(url: string, terminal: string, password: string | undefined, onCommand: CommandHandler): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId: terminal,
    username: terminal,
    password,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
  });
  const base = `posops/v1/${terminal}`;
  client.on('message', (topic, payload) => {
    if (topic !== `${base}/commands`) return;
    const cmd = parseCommand(payload);
    const status = cmd ? onCommand(terminal, { command: cmd.command, args: cmd.args ?? {} }) : 'failed';
    client.publish(`${base}/acks`, JSON.stringify({ id: cmd?.id ?? '', status }), { qos: 1 });
  });
  await client.subscribeAsync(`${base}/commands`, { qos: 1 });
  return client;
}

export async function connectMqttFleet(url: string, terminals: string[], secrets: Record<string, string> | undefined, onCommand: CommandHandler): Promise<MqttFleet> {
  const clients = new Map<string, MqttClient>();
  try {
    for (let i = 0; i < terminals.length; i += CONNECT_BATCH) {
      const batch = terminals.slice(i, i + CONNECT_BATCH);
      const connected = await Promise.all(batch.map((t) => connectOne(url, t, secrets?.[t], onCommand)));
      batch.forEach((t, k) => clients.set(t, connected[k]!));
    }
  } catch (err) {
    await Promise.all([...clients.values()].map((c) => c.endAsync(true)));
    throw new Error(`cannot connect the simulated terminals to the MQTT broker at ${url}: ${(err as Error).message}`);
  }
  return {
    async publish(items) {
      let ok = 0;
      for (let i = 0; i < items.length; i += PUBLISH_BATCH) {
        const batch = items.slice(i, i + PUBLISH_BATCH);
        const results = await Promise.allSettled(batch.map((o) => clients.get(o.terminal)!.publishAsync(`posops/v1/${o.terminal}/events`, o.line, { qos: 1 })));
        ok += results.filter((r) => r.status === 'fulfilled').length;
      }
      return ok;
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.endAsync()));
    },
  };
}
