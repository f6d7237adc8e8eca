// Live mode: runs the fleet against a running server at real time or faster, over HTTP (NDJSON
// batches to /api/v1/events) or MQTT (one connection per terminal), and obeys the commands the
// server sends on posops/v1/<terminal>/commands, answering on posops/v1/<terminal>/acks.
import { createTerminalSims } from './fleet.ts';
import { runCommand } from './terminal.commands.ts';
import { fullHeartbeat } from './terminal.heartbeat.ts';
import type { TerminalSim } from './terminal.ts';
import type { SimFleet } from './types.ts';
import { connectMqttFleet, type MqttFleet } from './live.mqtt.ts';

export interface LiveOptions {
  fleet: SimFleet;
  /**
   * http: batches for the whole fleet with `auth` (a token or a full Authorization value), or, when
   * `secrets` is given, one batch per terminal with Basic auth (terminal ID and its secret).
   * mqtt: one connection per terminal; commands are received over MQTT only (both may be given:
   * events over HTTP, commands over MQTT).
   */
  target: { http?: { url: string; auth?: string; secrets?: Record<string, string> }; mqtt?: { url: string; secrets?: Record<string, string> } };
  /** Simulated seconds per real second (60 = an hour per minute). */
  speed: number;
  onProgress?: (sent: number) => void;
  /** Real milliseconds between steps (default 1000). */
  tickMs?: number;
  /**
   * Simulated time at which live sending begins (default fleet.start). Everything the fleet did
   * between fleet.start and `from` is sent at once first (history), then time runs at `speed`.
   * For a demo with history: a fleet starting two days ago, `from: Date.now()`, speed 1.
   */
  from?: number;
}

export interface LiveFleet {
  stop(): Promise<void>;
  /** Simulated time now (ms). */
  now(): number;
  /** Events sent so far. */
  sent(): number;
}

interface Outgoing {
  arrival: number;
  terminal: string;
  line: string;
}

const HTTP_BATCH = 2000;

function eventsUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/api/v1/events';
  return u.toString();
}

async function postBatch(url: string, auth: string | undefined, lines: string[]): Promise<boolean> {
  const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
  if (auth) headers['authorization'] = auth.includes(' ') ? auth : `Bearer ${auth}`;
  try {
    const res = await fetch(url, { method: 'POST', headers, body: lines.join('\n') + '\n' });
    await res.arrayBuffer();
    return res.status < 500 && res.status !== 429;
  } catch {
    return false;
  }
}

function basic(terminal: string, secret: string): string {
  return `Basic ${Buffer.from(`${terminal}:${secret}`).toString('base64')}`;
}

/** Posts the due events; returns those the server did not take (sent again on the next step). */
async function postAll(http: NonNullable<LiveOptions['target']['http']>, due: Outgoing[]): Promise<Outgoing[]> {
  const url = eventsUrl(http.url);
  const groups = new Map<string, Outgoing[]>();
  if (!http.secrets) groups.set('', due);
  else {
    for (const o of due) {
      const list = groups.get(o.terminal);
      if (list) list.push(o);
      else groups.set(o.terminal, [o]);
    }
  }
  const unsent: Outgoing[] = [];
  for (const [terminal, items] of groups) {
    const secret = http.secrets?.[terminal];
    const auth = terminal && secret !== undefined ? basic(terminal, secret) : http.auth;
    for (let i = 0; i < items.length; i += HTTP_BATCH) {
      const batch = items.slice(i, i + HTTP_BATCH);
      if (!(await postBatch(url, auth, batch.map((o) => o.line)))) unsent.push(...batch);
    }
  }
  return unsent;
}

/** Sends what has arrived by simulated time t: HTTP batches, or MQTT per terminal. Returns what was not taken. */
async function deliver(opts: LiveOptions, mqtt: MqttFleet | undefined, due: Outgoing[]): Promise<{ sent: number; unsent: Outgoing[] }> {
  if (opts.target.http) {
    const unsent = await postAll(opts.target.http, due);
    return { sent: due.length - unsent.length, unsent };
  }
  return { sent: mqtt ? await mqtt.publish(due) : 0, unsent: [] };
}

export async function startLiveFleet(opts: LiveOptions): Promise<LiveFleet> {
  if (!(opts.speed > 0)) throw new Error('speed must be above 0');
  if (!opts.target.http && !opts.target.mqtt) throw new Error('live mode needs target.http or target.mqtt');
  const { fleet } = opts;
  const realStart = Date.now();
  const from = opts.from ?? fleet.start;
  const now = () => from + (Date.now() - realStart) * opts.speed;
  let queue: Outgoing[] = [];
  let sent = 0;
  const sims: TerminalSim[] = createTerminalSims(fleet, (terminal) => (arrival, line) => queue.push({ arrival, terminal, line }));
  const byId = new Map(sims.map((s) => [s.p.id, s]));
  const mqtt = opts.target.mqtt
    ? await connectMqttFleet(opts.target.mqtt.url, sims.map((s) => s.p.id), opts.target.mqtt.secrets, (terminal, cmd) => {
      const sim = byId.get(terminal);
      return sim ? runCommand(sim, now(), cmd.command, cmd.args) : 'failed';
    })
    : undefined;
  for (const s of sims) if (s.powered && !s.eff.dead && !s.eff.disconnected) fullHeartbeat(s, fleet.start);
  let busy = false;
  const step = async () => {
    if (busy) return;
    busy = true;
    try {
      const t = now();
      for (const s of sims) s.advance(t);
      const due = queue.filter((o) => o.arrival <= t).sort((a, b) => a.arrival - b.arrival);
      queue = queue.filter((o) => o.arrival > t);
      const r = await deliver(opts, mqtt, due);
      sent += r.sent;
      queue = queue.concat(r.unsent);
      opts.onProgress?.(sent);
    } finally {
      busy = false;
    }
  };
  await step();
  const timer = setInterval(() => void step(), opts.tickMs ?? 1000);
  return {
    now,
    sent: () => sent,
    async stop() {
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await mqtt?.close();
    },
  };
}
